/** The rules that label a source SVG simple / text / gradient / complex (the classifier's ground truth). */
import type { ImageType } from '@/lib/ai/types';
import { analyzeSvg, hexToRgb, type SvgFeatures } from './analyze-svg';

/** Colours closer than this on every channel count as one: a raster cannot tell them apart after anti-aliasing. */
const COLOR_MERGE_DISTANCE = 16;
/** Upper bounds for `simple`: a flat logo a person would call "a few colours, a few shapes". */
export const SIMPLE_MAX_COLORS = 4;
export const SIMPLE_MAX_SHAPES = 12;

/** Distinct colours after merging near ones (greedy, in sorted order, so deterministic). */
export function countDistinctColors(colors: string[]): number {
  const kept: [number, number, number][] = [];
  for (const hex of colors) {
    const c = hexToRgb(hex);
    if (
      !kept.some(
        (k) =>
          Math.max(Math.abs(k[0] - c[0]), Math.abs(k[1] - c[1]), Math.abs(k[2] - c[2])) <
          COLOR_MERGE_DISTANCE,
      )
    ) {
      kept.push(c);
    }
  }
  return kept.length;
}

/**
 * Category rules, first match wins:
 * 1. `gradient`: some referenced linearGradient/radialGradient has stops that differ visibly (a channel by 32+
 *    levels or opacity by 0.3+). A gradient decides how an image must be traced, even inside a word mark.
 * 2. `text`: a word mark: the SVG has <text>, or the source says it is one (`isWordmark`, e.g. devicon's
 *    "*-wordmark" icons, whose letters are already outlined to paths, and simple-icons logos drawn as a wide
 *    row of separate glyphs, `isWordmarkPath()` in sources.ts). The label says what the image shows: a brand
 *    name in outlined letters is text whether or not the SVG keeps a <text> element.
 * 3. `simple`: at most SIMPLE_MAX_COLORS distinct colours (near colours merged) and SIMPLE_MAX_SHAPES shapes.
 * 4. `complex`: everything else (many colours or many shapes, no visible gradient).
 */
export function categorizeSvg(
  svg: string,
  options: { isWordmark?: boolean } = {},
): { category: ImageType; features: SvgFeatures } {
  const features = analyzeSvg(svg);
  let category: ImageType;
  if (features.visibleGradients > 0) category = 'gradient';
  else if (features.hasText || options.isWordmark) category = 'text';
  else if (countDistinctColors(features.colors) <= SIMPLE_MAX_COLORS && features.shapes <= SIMPLE_MAX_SHAPES)
    category = 'simple';
  else category = 'complex';
  return { category, features };
}
