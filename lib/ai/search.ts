/**
 * Tier 3's quality-feedback search: a hill climb over SEARCH_MOVES toward an RGB-SSIM target within a budget.
 * Attempts are ranked by the fidelity score (RGB-SSIM less a share of GMSD, lib/quality/fidelity-score.ts), so a
 * flat silhouette that keeps the average colours cannot outrank a trace that keeps the edges.
 */
import { fidelityScore } from '@/lib/quality/fidelity-score';
import type { ConversionMode, QualityReport, TraceParams, TraceParamsOverrides } from '@/lib/vectorize/types';
import { SEARCH_MOVES } from './search-moves';

/** One engine run the search made, with what it cost. */
export type Attempt = {
  mode: ConversionMode;
  params: TraceParams;
  svg: string;
  paths: number;
  quality: QualityReport | null;
  ms: number;
};

/** Runs the engine once in `mode` with `overrides` (the caller adds its fixed parameters and its checkpoint). */
type RunAttempt = (mode: ConversionMode, overrides: TraceParamsOverrides) => Promise<Attempt>;

/**
 * When the target stays out of reach, fidelity gains this small are not worth their bytes: the search returns the
 * smallest of the climb's steps within this much of its best fidelity score.
 */
export const MISS_SSIM_SLACK = 0.002;

const score = (a: Attempt) => fidelityScore(a.quality);

export function settleMiss(steps: Attempt[]): Attempt {
  const top = Math.max(...steps.map(score));
  const near = steps.filter((a) => score(a) >= top - MISS_SSIM_SLACK);
  return near.reduce((a, b) => (Buffer.byteLength(b.svg) < Buffer.byteLength(a.svg) ? b : a));
}

/**
 * Hill-climbs from `first` with fidelity-raising moves, keeping a move only when the fidelity score rises, until
 * the RGB-SSIM target is
 * met, no move helps, or the next attempt would overrun the deadline. Moves on `locked` parameters are skipped.
 */
export async function searchParams(
  run: RunAttempt,
  first: Attempt,
  target: number,
  deadline: number,
  locked: Set<string>,
): Promise<{ best: Attempt; iterations: number; reason: string }> {
  let best = first;
  const steps = [first];
  let iterations = 1;
  let last = first;
  const ssim = (a: Attempt) => a.quality?.ssim ?? 0;
  if (ssim(best) >= target) return { best, iterations, reason: 'target met' };
  let stale = 0;
  for (let m = 0; stale < SEARCH_MOVES.length; m = (m + 1) % SEARCH_MOVES.length) {
    const move = SEARCH_MOVES[m];
    const change = move.keys.some((k) => locked.has(k)) ? null : move.apply(best.params);
    if (!change) {
      stale++;
      continue;
    }
    if (performance.now() + expectedMs(last, change) > deadline) {
      return { best: settleMiss(steps), iterations, reason: 'time budget ran out' };
    }
    const { mode: nextMode, ...params } = { ...best.params, ...change };
    const next = await run(best.mode === 'auto' && !change.mode ? 'auto' : nextMode, params);
    iterations++;
    last = next;
    if (score(next) > score(best) + 1e-4) {
      best = next;
      steps.push(next);
      stale = 0;
      if (ssim(best) >= target) return { best, iterations, reason: 'target met' };
    } else stale++;
  }
  return { best: settleMiss(steps), iterations, reason: 'no parameter change raised fidelity further' };
}

/**
 * What the next attempt should cost, from the last one: the same, except that a finer sub-pixel grid costs more
 * (measured on 256 px benchmark images, a whole attempt with its SSIM: 1.2-3x for 1 -> 2 and 1.5-2.5x for
 * 2 -> 4, so the factor's ratio to the power 1.5, 2.8x per doubling, keeps the search inside its budget).
 */
export function expectedMs(last: Attempt, change: Partial<TraceParams>): number {
  const k = change.subpixel ?? last.params.subpixel;
  return last.ms * Math.max(1, k / last.params.subpixel) ** 1.5;
}

/** Meeting the RGB-SSIM target first, then the higher fidelity score; on a tie in both, fewer bytes. */
export function betterAttempt(a: Attempt, b: Attempt, target: number): boolean {
  const sa = a.quality?.ssim ?? 0;
  const sb = b.quality?.ssim ?? 0;
  if (sa >= target !== sb >= target) return sa >= target;
  const fa = score(a);
  const fb = score(b);
  if (Math.abs(fa - fb) > 1e-4) return fa > fb;
  return Buffer.byteLength(a.svg) < Buffer.byteLength(b.svg);
}
