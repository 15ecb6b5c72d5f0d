/** The RGB-SSIM each image class should reach (config), and tier 3's target when the classifier is unsure. */
import { getConfig } from '@/lib/config';
import type { ImageType } from './types';

/** Per-type RGB-SSIM targets from config. */
export function targetFor(type: ImageType): number {
  return getConfig().qualityTargets[type];
}

/** A class this likely is a real possibility: the classifier's errors mostly sit above this probability. */
const PLAUSIBLE_PROBABILITY = 0.2;

/**
 * Tier 3's target when the classifier is unsure: the strictest target of every class at least
 * PLAUSIBLE_PROBABILITY likely. A word mark taken for a complex image would otherwise stop at 0.95 and ship
 * blurred letters; when the classes agree this is just the predicted class's target.
 */
export function plausibleTarget(probabilities: Record<ImageType, number>): number {
  let best = 0;
  let top: ImageType | null = null;
  for (const [t, p] of Object.entries(probabilities) as [ImageType, number][]) {
    if (!top || p > probabilities[top]) top = t;
    if (p >= PLAUSIBLE_PROBABILITY) best = Math.max(best, targetFor(t));
  }
  return best > 0 ? best : targetFor(top!);
}
