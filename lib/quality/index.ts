/** Quality metrics of a conversion: render the SVG back and compare it with the source raster. */
import type { QualityReport } from '@/lib/vectorize/types';
import { renderSvg } from './render-svg';
import { measureGmsd } from './gmsd';
import { compareImages, type Rgb } from './ssim';
import type { RgbaImage } from './types';

export { renderSvg, type RenderSvgOptions } from './render-svg';
export { measureSsim, measurePsnr, compareImages, type SsimReport, type Rgb } from './ssim';
export { measureGmsd } from './gmsd';
export { fidelityScore, GMSD_WEIGHT } from './fidelity-score';
export type { RgbaImage } from './types';

/**
 * Renders `svg` at the reference's size and scores it against the reference, both composited over `background`:
 * RGB-SSIM, luma SSIM, PSNR and GMSD.
 */
export function measureQuality(
  svg: string,
  reference: RgbaImage,
  background: Rgb = [255, 255, 255],
): QualityReport {
  const rendered = renderSvg(svg, reference.width, reference.height);
  const { ssim, ssimLuma, psnr } = compareImages(rendered, reference, background);
  return { ssim, ssimLuma, psnr, gmsd: measureGmsd(rendered, reference, background) };
}
