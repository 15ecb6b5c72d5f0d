/**
 * Background detection: the image border decides. Mostly transparent border pixels mean a transparent background;
 * otherwise the quantized colour that holds most of the border, when it holds enough of it, is the background.
 */
import type { RgbaImage } from '@/lib/quality/types';
import { COVERAGE_ALPHA, TRANSPARENT, type Quantized } from '../quantize';

export type DetectedBackground =
  | { kind: 'transparent' }
  /** `label` is the background's palette index in the quantized image (colour mode). */
  | { kind: 'color'; label: number }
  /**
   * Opaque, read without labels (mono) or with no colour dominating the border (photos); `dark` when the border
   * is darker than mid-grey on average (white-on-black art, whose ink would be the background).
   */
  | { kind: 'opaque'; dark: boolean };

/** The border share the dominant colour needs to count as the background. */
const DOMINANT_SHARE = 0.4;

/** The indices of the border pixels, each once (clockwise from the top-left corner). */
export function borderPixels(width: number, height: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < width; x++) out.push(x);
  for (let y = 1; y < height; y++) out.push(y * width + width - 1);
  if (height > 1) for (let x = width - 2; x >= 0; x--) out.push((height - 1) * width + x);
  if (width > 1) for (let y = height - 2; y >= 1; y--) out.push(y * width);
  return out;
}

/** The background of `image`, read from its labels when quantized (colour mode) or from its alpha (mono). */
export function detectBackground(image: RgbaImage, quantized?: Quantized): DetectedBackground {
  const border = borderPixels(image.width, image.height);
  let transparent = 0;
  let luminance = 0;
  const counts = new Map<number, number>();
  for (const i of border) {
    const label = quantized?.labels[i];
    const o = i * 4;
    if (image.data[o + 3] < COVERAGE_ALPHA || label === TRANSPARENT) {
      transparent++;
      continue;
    }
    luminance += 0.299 * image.data[o] + 0.587 * image.data[o + 1] + 0.114 * image.data[o + 2];
    if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (transparent * 2 >= border.length) return { kind: 'transparent' };
  let best = -1;
  let bestCount = 0;
  for (const [label, count] of counts) {
    if (count > bestCount || (count === bestCount && label < best)) {
      best = label;
      bestCount = count;
    }
  }
  if (best >= 0 && bestCount >= DOMINANT_SHARE * border.length) return { kind: 'color', label: best };
  return { kind: 'opaque', dark: luminance / Math.max(1, border.length - transparent) < 128 };
}
