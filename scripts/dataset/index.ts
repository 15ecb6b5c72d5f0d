/**
 * Labelled raster images from public icon sets, for the benchmark and for classifier / parameter training.
 *
 * Stable API (the AI training code depends on it):
 * - loadIconSources(): IconSource[]        every source SVG with its category and licence, deterministic order
 *   (by set in SOURCE_SETS order, then name). Sets: simple-icons (recoloured with brand hex), @iconify-json/
 *   {twemoji, fluent-emoji-flat, flat-color-icons, vscode-icons, devicon}, and synthetic word marks set in
 *   DejaVu fonts (dejavu-fonts-ttf). Labels follow categorizeSvg()'s rules (categorize.ts).
 * - renderSource(source, { size, background: 'white' | 'transparent' }) -> { png, rgba }   square raster;
 *   word marks need fonts, which renderSource loads (datasetFontFiles() lists them for other renderers).
 * - splitOf(sourceId): 'train' | 'val' | 'test'   70/15/15 by a fixed-seed hash of the source id. Train on
 *   'train', tune on 'val'; the benchmark uses 'test' by default so nobody tunes on it.
 * - buildBenchmarkSet({ size = 256, perCategory, seed = 1, backgrounds = ['white', 'transparent'], splits = ['test'] })
 *   -> BenchImage[]   balanced per category, round-robin across sets, same icons on each background.
 * - inkShareOnWhite(rgba): number   share of pixels visibly non-white over white; the benchmark and classifier /
 *   optimizer training all skip near-blank renders (< 0.01) by it.
 */
export { loadIconSources, listSetLicenses, SOURCE_SETS, type IconSource } from './sources';
export { renderSource, encodePng, type RenderSourceOptions } from './render-source';
export {
  buildBenchmarkSet,
  splitOf,
  inkShareOnWhite,
  CATEGORIES,
  type BenchImage,
  type Background,
  type Split,
  type BuildBenchmarkSetOptions,
} from './benchmark-set';
export { categorizeSvg, countDistinctColors, SIMPLE_MAX_COLORS, SIMPLE_MAX_SHAPES } from './categorize';
export { analyzeSvg, type SvgFeatures } from './analyze-svg';
export { datasetFontFiles } from './fonts';
