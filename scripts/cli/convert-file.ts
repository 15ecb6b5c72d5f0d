/** Converts one input file to one SVG file and describes the outcome as the CLI's JSON line. */
import { readFile, writeFile } from 'node:fs/promises';
import { isConversionError } from '@/lib/errors/conversion-error';
import type { RouteRequest } from '@/lib/ai/types';
import { runConversion } from './run-conversion';

export type FileJob = { input: string; output: string; options: RouteRequest; missing?: string };
export type FileOutcome =
  { ok: true; line: Record<string, unknown> } | { ok: false; line: Record<string, unknown> };

export async function convertFile(job: FileJob): Promise<FileOutcome> {
  const started = performance.now();
  try {
    if (job.missing) throw Object.assign(new Error(job.missing), { kind: 'not_found' });
    const result = await runConversion(await readFile(job.input), job.options);
    await writeFile(job.output, result.svg);
    const { svg: _svg, quality, durationMs: _d, ...rest } = result;
    void _svg;
    void _d;
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

export function errorLine(input: string, err: unknown): Record<string, unknown> {
  const kind = isConversionError(err) ? err.kind : ((err as { kind?: string } | null)?.kind ?? 'internal');
  const message = err instanceof Error ? err.message : String(err);
  return { input, error: kind, message };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
