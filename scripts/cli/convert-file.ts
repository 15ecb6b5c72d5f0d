/** Converts one input file to one SVG file on the conversion pool and describes the outcome as the CLI's JSON line. */
import { readFile, writeFile } from 'node:fs/promises';
import type { ConversionRequest } from '@/lib/ai/request';
import { isConversionError } from '@/lib/errors/conversion-error';
import path from 'node:path';
import { exportSvg, type ExportFormat, type SvgOptions } from '@/lib/export';
import type { ConvertPool } from '@/lib/worker-pool';

/** `outputBase` is the output path without extension: each format adds its own. */
export type FileJob = { input: string; outputBase: string; missing?: string };
/** The formats to write for every input, and the export options that apply to them. */
export type CliOutput = {
  formats: ExportFormat[];
  scale: number;
  curves: 'polyline' | 'spline';
  /** SVG only: pretty or minified, a title ({name} = the input's name without extension), layer groups. */
  svg?: SvgOptions['svg'];
  title?: string;
  layers?: boolean;
};
type FileOutcome = { ok: true; line: Record<string, unknown> } | { ok: false; line: Record<string, unknown> };

export async function convertFile(
  job: FileJob,
  request: ConversionRequest,
  pool: ConvertPool,
  output: CliOutput = { formats: ['svg'], scale: 1, curves: 'polyline' },
): Promise<FileOutcome> {
  const started = performance.now();
  try {
    if (job.missing) throw Object.assign(new Error(job.missing), { kind: 'not_found' });
    const result = await pool.convert(await readFile(job.input), request);
    const outputs: Partial<Record<ExportFormat, string>> = {};
    for (const format of output.formats) {
      const file = await exportSvg(result.svg, {
        format,
        scale: output.scale,
        curves: output.curves,
        svg: output.svg,
        layers: output.layers,
        title: output.title?.replaceAll('{name}', path.basename(job.input, path.extname(job.input))),
      });
      const target = `${job.outputBase}.${file.extension}`;
      await writeFile(target, file.body);
      outputs[format] = target;
    }
    // each CLI run converts each file once (no cache); inference timings feed the server's metrics, not this line
    const { svg: _svg, quality, durationMs: _d, cached: _c, inferenceMs: _i, ...rest } = result;
    void [_svg, _d, _c, _i];
    return {
      ok: true,
      line: {
        input: job.input,
        output: outputs[output.formats[0]],
        outputs,
        ...rest,
        ssim: quality ? round(quality.ssim, 5) : null,
        ssimLuma: quality ? round(quality.ssimLuma, 5) : null,
        psnr: quality ? round(Math.min(quality.psnr, 100), 3) : null,
        gmsd: quality ? round(quality.gmsd, 5) : null,
        ms: Math.round(performance.now() - started),
      },
    };
  } catch (err) {
    return { ok: false, line: errorLine(job.input, err) };
  }
}

function errorLine(input: string, err: unknown): Record<string, unknown> {
  const kind = isConversionError(err) ? err.kind : ((err as { kind?: string } | null)?.kind ?? 'internal');
  const message = err instanceof Error ? err.message : String(err);
  return { input, error: kind, message };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
