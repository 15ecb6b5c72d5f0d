/** Converts one input file to one SVG file on the conversion pool and describes the outcome as the CLI's JSON line. */
import { readFile, writeFile } from 'node:fs/promises';
import type { ConversionRequest } from '@/lib/ai/request';
import { isConversionError } from '@/lib/errors/conversion-error';
import type { ConvertPool } from '@/lib/worker-pool';

export type FileJob = { input: string; output: string; missing?: string };
type FileOutcome = { ok: true; line: Record<string, unknown> } | { ok: false; line: Record<string, unknown> };

export async function convertFile(
  job: FileJob,
  request: ConversionRequest,
  pool: ConvertPool,
): Promise<FileOutcome> {
  const started = performance.now();
  try {
    if (job.missing) throw Object.assign(new Error(job.missing), { kind: 'not_found' });
    const result = await pool.convert(await readFile(job.input), request);
    await writeFile(job.output, result.svg);
    // each CLI run converts each file once (no cache); inference timings feed the server's metrics, not this line
    const { svg: _svg, quality, durationMs: _d, cached: _c, inferenceMs: _i, ...rest } = result;
    void [_svg, _d, _c, _i];
    return {
      ok: true,
      line: {
        input: job.input,
        output: job.output,
        ...rest,
        ssim: quality ? round(quality.ssim, 5) : null,
        ssimLuma: quality ? round(quality.ssimLuma, 5) : null,
        psnr: quality ? round(Math.min(quality.psnr, 100), 3) : null,
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
