/**
 * The results of a batch as a zip, streamed: manifest.json and manifest.csv first (file, state, type, tier,
 * RGB-SSIM, bytes, error for every item), then each finished item's SVG and the extra formats asked for. Each
 * SVG is read from the history only when the zip writer reaches its entry, so at most one is held at a time.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { getDb, type Db } from '@/lib/db/client';
import { exportSvg, type ExportFormat } from '@/lib/export';
import { getLogger } from '@/lib/log';
import type { OwnedBatch } from './store';

export type ManifestRow = {
  file: string;
  state: string;
  output: string | null;
  type: string | null;
  tier: number | null;
  ssim: number | null;
  bytes: number | null;
  error: string | null;
};

/** The output path of each item: its name with .svg, made unique when two uploads share a name. */
export function outputNames(items: readonly { fileName: string }[]): string[] {
  const used = new Set<string>();
  return items.map((item, i) => {
    const base = item.fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
    let name = base;
    if (used.has(name.toLowerCase())) name = `${base}-${i + 1}`;
    used.add(name.toLowerCase());
    return name;
  });
}

export function manifestRows(batch: OwnedBatch): ManifestRow[] {
  const names = outputNames(batch.items);
  return batch.items.map((item, i) => {
    const problem = item.problem as { detail?: string; title?: string } | null;
    return {
      file: item.fileName,
      state: item.state,
      output: item.state === 'done' ? `${names[i]}.svg` : null,
      type: item.type,
      tier: item.tier,
      ssim: item.ssim === null ? null : Math.round(item.ssim * 10_000) / 10_000,
      bytes: item.bytes,
      error: problem ? (problem.detail ?? problem.title ?? 'failed') : null,
    };
  });
}

const CSV_COLUMNS: (keyof ManifestRow)[] = [
  'file',
  'state',
  'output',
  'type',
  'tier',
  'ssim',
  'bytes',
  'error',
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // a leading =, +, - or @ would be a formula in a spreadsheet
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function manifestCsv(rows: ManifestRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The zip as a web stream, entries read as the consumer pulls them. */
export function batchZipStream(batch: OwnedBatch, db: Db = getDb()): ReadableStream<Uint8Array> {
  const zip = new yazl.ZipFile();
  const rows = manifestRows(batch);
  const names = outputNames(batch.items);
  const formats = batch.formats.split(' ').filter(Boolean) as ExportFormat[];
  const manifest = {
    id: batch.id,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    formats: ['svg', ...formats],
    items: rows,
  };
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json');
  zip.addBuffer(Buffer.from(manifestCsv(rows)), 'manifest.csv');
  let last: { id: string; svg: string } | null = null;
  const svgOf = async (conversionId: string): Promise<string> => {
    if (last?.id === conversionId) return last.svg;
    const row = await db.conversion.findUnique({ where: { id: conversionId }, select: { svg: true } });
    if (!row) throw new Error(`conversion ${conversionId} is gone`);
    last = { id: conversionId, svg: row.svg };
    return row.svg;
  };
  batch.items.forEach((item, i) => {
    if (item.state !== 'done' || !item.conversionId) return;
    const conversionId = item.conversionId;
    zip.addReadStreamLazy(`${names[i]}.svg`, (cb) => {
      svgOf(conversionId).then(
        (svg) => cb(null, Readable.from([Buffer.from(svg)])),
        (err: unknown) => cb(err, Readable.from([])),
      );
    });
    for (const format of formats) {
      zip.addReadStreamLazy(`${names[i]}.${format}`, (cb) => {
        svgOf(conversionId)
          .then((svg) => exportSvg(svg, { format }))
          .then(
            (file) => cb(null, Readable.from([file.body])),
            (err: unknown) => {
              // one SVG a writer refuses must not break the whole download: say so in its place
              getLogger().warn({ err, conversionId, format }, 'batch export failed');
              cb(null, Readable.from([Buffer.from(`export failed: ${(err as Error).message}\n`)]));
            },
          );
      });
    }
  });
  zip.end();
  return Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
}
