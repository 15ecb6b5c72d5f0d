/**
 * One fidelity number from RGB-SSIM and GMSD, for ranking conversions of the same image (tier 3's search): SSIM
 * minus GMSD_WEIGHT times GMSD. SSIM alone lets a flat silhouette outscore a faithful trace, since averaging a
 * mark's colours costs little SSIM; every inner edge it drops raises GMSD.
 */
import type { QualityReport } from '@/lib/vectorize/types';

/**
 * How much one unit of GMSD costs in SSIM. Good traces of the benchmark's icons sit at GMSD 0.02-0.08 and a
 * one-colour silhouette of a multi-colour mark 0.1-0.25 higher, while their SSIMs differ by about 0.01: at
 * 0.25 the silhouette's missing edges outweigh its SSIM edge.
 */
export const GMSD_WEIGHT = 0.25;

/** Higher is better; null (not measured) scores lowest. */
export function fidelityScore(q: Pick<QualityReport, 'ssim' | 'gmsd'> | null | undefined): number {
  if (!q) return -Infinity;
  return q.ssim - GMSD_WEIGHT * q.gmsd;
}
