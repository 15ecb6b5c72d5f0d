/** /history/{id}: one recorded conversion opened again: preview, measurements, parameters, download and copy. */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getConversion } from '@/lib/db/conversions';
import { formatBytes, formatImageType, formatMs, formatSsim } from '@/components/converter/format';
import { CopySvgButton } from '@/components/history/copy-svg-button';
import styles from '@/components/history/history.module.css';
import { getHistoryOwner } from '../history-owner';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Conversion · AI SVG Converter' };

export default async function ConversionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const owner = await getHistoryOwner();
  // Not yours looks exactly like not there: a 404, never a hint that the id exists.
  const c = owner ? await getConversion(id, owner).catch(() => null) : null;
  if (!c) notFound();
  const name = c.fileName ?? `Conversion ${c.id.slice(0, 8)}`;
  const stats: [string, string][] = [
    [
      'Image type',
      `${formatImageType(c.type)}${c.confidence > 0 ? ` (${Math.round(c.confidence * 100)}%)` : ''}`,
    ],
    ['SSIM', formatSsim(c.ssim)],
    ['PSNR', c.psnr === null ? '—' : `${c.psnr.toFixed(1)} dB`],
    ['SVG size', formatBytes(c.bytes)],
    ['Original size', formatBytes(c.inputBytes)],
    ['Paths', String(c.paths)],
    ['Time', formatMs(c.durationMs)],
    ['Tier', String(c.tier)],
    ['Dimensions', `${c.width}×${c.height}`],
  ];
  return (
    <main id="main" className="page">
      <p>
        <Link href="/history">← History</Link>
      </p>
      <h1 className="page-title">{name}</h1>
      <p className="page-lead">
        Converted{' '}
        <time dateTime={c.createdAt.toISOString()}>
          {c.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC
        </time>{' '}
        via {c.source}, {c.mode} mode.
      </p>
      <div className={styles.detail}>
        <div className={styles.preview} style={{ aspectRatio: `${c.width} / ${c.height}` }}>
          {/* eslint-disable-next-line @next/next/no-img-element -- same-origin SVG, never inlined as markup */}
          <img src={`/history/${c.id}/svg`} alt={`SVG result of ${name}`} />
        </div>
        <div>
          <dl className={styles.stats}>
            {stats.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <div className={styles.actions}>
            <a className={styles.button} href={`/history/${c.id}/svg?download`} download>
              Download SVG
            </a>
            <CopySvgButton svg={c.svg} />
          </div>
          <details className={styles.params}>
            <summary>Trace parameters</summary>
            <pre>{JSON.stringify(c.params, null, 2)}</pre>
          </details>
        </div>
      </div>
    </main>
  );
}
