/**
 * Auto mode: mono only for one ink on white or transparency; color for everything else. A multi-colour image is
 * never collapsed to one ink: colour count is kept by construction, not left to a score that barely notices
 * (a three-ink word mark traced in one ink loses 0.002 RGB-SSIM).
 */
import type { Quantized } from './quantize';

/**
 * A palette colour counts as an ink from this share of the covered pixels, or MIN_INK_PIXELS, whichever is
 * more. The quantizer only keeps colours that are real (flat areas, or distinct inks, never anti-aliasing
 * blends), so this is low: a small blue "C" beside a large maroon "au" is an ink of its own.
 */
const INK_SHARE = 0.0003;
const MIN_INK_PIXELS = 24;
/** Every channel at least this bright is white paper (a cream or tinted background is a colour). */
const NEAR_WHITE = 235;

/** Decides from the colour-mode quantization, which the caller reuses when color wins. */
export function chooseMode(q: Quantized): 'color' | 'mono' {
  const covered = q.counts.reduce((a, b) => a + b, 0);
  if (covered === 0) return 'mono';
  const minInk = Math.max(MIN_INK_PIXELS, covered * INK_SHARE);
  const present = q.palette.filter((_, j) => q.counts[j] >= minInk);
  const isWhite = (c: number[]) => c.every((v) => v >= NEAR_WHITE);
  const inks = present.filter((c) => !isWhite(c));
  // White-only art (e.g. a white mark on transparency) would vanish under a luminance threshold.
  if (inks.length !== 1) return 'color';
  // One ink: mono only when nothing else is there but (one) white or transparency; a coloured background is
  // an ink too, so it stays a shape in colour mode.
  return present.length - inks.length <= 1 ? 'mono' : 'color';
}
