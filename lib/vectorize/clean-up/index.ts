/**
 * Clean-up of real uploads before quantization: detect JPEG artefacts, noise and soft (blurred or smoothly
 * upscaled) edges, and undo them with edge-preserving filters, so the tracer sees flat colours and crisp edges
 * instead of tracing ringing as pale halos, noise as ragged borders and soft edges as rings of in-between
 * colours. Clean art (flat colours, one-pixel anti-aliasing) passes through untouched.
 */
import type { RgbaImage } from '@/lib/quality/types';
import { detectDefects, type Defects } from './detect-defects';
import { bilateralFilter, snapEdges } from './filters';

export { detectDefects, type Defects } from './detect-defects';
export { bilateralFilter, snapEdges } from './filters';

export type CleanUpMode = 'auto' | 'off';
export type CleanUpStep = 'denoise' | 'deblock' | 'snap-edges';
export type CleanUpResult = { image: RgbaImage; steps: CleanUpStep[]; defects: Defects | null };

/**
 * Thresholds from the bench's clean and degraded images (scripts/bench/degrade.ts): clean renderings have at
 * most ~4% of pixels off their 3x3 median by 3-40 levels and edges about 2 px wide; JPEG q50-70 puts 2-25% of
 * pixels there with a visible 8x8 grid, noise (sigma 10) 30-45%; a 1.5 px blur or a 4x smooth upscale widens
 * edges to 3.2-6.5 px.
 */
const NOISE_SHARE = 0.2;
const JPEG_SHARE = 0.05;
const JPEG_GRID_SHARE = 0.02;
const JPEG_GRID = 1.2;
/** A decoded JPEG file needs less evidence: it went through the codec for sure. */
const JPEG_FILE_SHARE = 0.01;
const SOFT_EDGE_WIDTH = 2.9;
/**
 * Codec and sensor residuals are small (mean 5-10 levels); larger ones are the art's own anti-aliasing at
 * corners and thin strokes, which clean renderings have too.
 */
const MAX_ARTEFACT_LEVEL = 17;

export function cleanUp(
  image: RgbaImage,
  { mode = 'auto', fromJpeg = false }: { mode?: CleanUpMode; fromJpeg?: boolean } = {},
): CleanUpResult {
  if (mode === 'off' || image.width < 8 || image.height < 8) return { image, steps: [], defects: null };
  const defects = detectDefects(image);
  const steps: CleanUpStep[] = [];
  let out = image;
  const rangeSigma = Math.max(12, Math.min(40, 4 * defects.noiseLevel));
  const artefacts = defects.noiseLevel <= MAX_ARTEFACT_LEVEL;
  // JPEG has no alpha: an image with transparency did not come out of a JPEG as it is
  const opaque = isOpaque(image);
  if (artefacts && defects.noisyShare >= NOISE_SHARE) {
    // grain everywhere: two passes, the second at the lower noise the first left
    out = bilateralFilter(out, { radius: 2, spatialSigma: 1.5, rangeSigma });
    out = bilateralFilter(out, { radius: 2, spatialSigma: 1.5, rangeSigma: rangeSigma * 0.75 });
    steps.push('denoise');
  } else if (
    artefacts &&
    opaque &&
    (defects.noisyShare >= JPEG_SHARE ||
      (defects.noisyShare >= JPEG_GRID_SHARE && defects.blockiness >= JPEG_GRID) ||
      (fromJpeg && defects.noisyShare >= JPEG_FILE_SHARE))
  ) {
    out = bilateralFilter(out, { radius: 2, spatialSigma: 1.5, rangeSigma });
    steps.push('deblock');
  }
  // edges are measured again after smoothing: noise makes every edge look wide
  const width = steps.length ? detectDefects(out).edgeWidth : defects.edgeWidth;
  if (width >= SOFT_EDGE_WIDTH) {
    const radius = Math.max(1, Math.min(4, Math.round(width * 0.75)));
    out = snapEdges(out, { radius, minContrast: 40 });
    steps.push('snap-edges');
  }
  return { image: out, steps, defects };
}

function isOpaque(img: RgbaImage): boolean {
  const d = img.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 255) return false;
  return true;
}
