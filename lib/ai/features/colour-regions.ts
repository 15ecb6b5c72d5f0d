/** Same-colour regions (4-bit colour, 4-connected) big enough to be a drawn shape: roughly the shape count. */
import type { FeatureValues } from './feature-names';
import { labelComponents } from './label-components';

/** `key`: each pixel's 4-bit colour bin, -1 where transparent (from measureFlatPalette). */
export function measureColourRegions(key: Int16Array, w: number, h: number): FeatureValues {
  const total = w * h;
  const minRegion = Math.max(4, Math.round(total * 0.0005));
  const minSmall = Math.max(3, Math.round(total * 0.0001));
  const minLarge = Math.round(total * 0.01);
  let regions = 0;
  let regionsSmall = 0;
  let regionsLarge = 0;
  const parts = labelComponents(key, w, h, -1);
  for (let c = 0; c < parts.count; c++) {
    const area = parts.area[c];
    if (area >= minRegion) regions++;
    if (area >= minSmall) regionsSmall++;
    if (area >= minLarge) regionsLarge++;
  }
  return {
    log_regions: Math.log2(1 + regions) / 10,
    log_regions_small: Math.log2(1 + regionsSmall) / 11,
    log_regions_large: Math.log2(1 + regionsLarge) / 7,
  };
}
