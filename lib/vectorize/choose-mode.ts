/** Auto mode: picks mono for single-ink images (one colour on white or transparency), color for the rest. */
import type { Quantized } from './quantize';

/** A colour counts when it covers at least this share of the covered pixels. */
const SIGNIFICANT_SHARE = 0.01;
const NEAR_WHITE = 235;

/** Decides from the colour-mode quantization, which the caller reuses when color wins. */
export function chooseMode(q: Quantized): 'color' | 'mono' {
  const covered = q.counts.reduce((a, b) => a + b, 0);
  if (covered === 0) return 'mono';
  const significant = q.palette.filter((_, j) => q.counts[j] >= covered * SIGNIFICANT_SHARE);
  const isWhite = (c: number[]) => c.every((v) => v >= NEAR_WHITE);
  const inks = significant.filter((c) => !isWhite(c));
  // White-only art (e.g. a white mark on transparency) would vanish under a luminance threshold.
  if (inks.length !== 1) return 'color';
  // One ink: mono only when nothing else is there but white or transparency.
  return significant.length - inks.length <= 1 ? 'mono' : 'color';
}
