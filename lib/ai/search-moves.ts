/**
 * Tier 3's moves: each trades bytes for fidelity, in the order they usually pay off (measured on benchmark
 * images: keeping small regions, sharper corners and switching mono to colour raise SSIM most; the palette bound
 * rarely matters because the quantizer stops at the colours the image has).
 */
import type { TraceParams } from '@/lib/vectorize/types';

type SearchMove = {
  /** The parameters the move changes: a move on a parameter the caller fixed is never made. */
  keys: (keyof TraceParams)[];
  /** The change from `p`, or null when the move has nothing left to give. */
  apply: (p: TraceParams) => Partial<TraceParams> | null;
};

export const SEARCH_MOVES: SearchMove[] = [
  {
    keys: ['minRegionArea', 'speckle'],
    apply: (p) =>
      p.minRegionArea > 0 || p.speckle > 0
        ? {
            minRegionArea: p.minRegionArea < 2e-5 ? 0 : p.minRegionArea / 5,
            speckle: Math.floor(p.speckle / 2),
          }
        : null,
  },
  {
    keys: ['cornerThreshold'],
    apply: (p) =>
      p.cornerThreshold > 0.35 ? { cornerThreshold: Math.max(0.3, p.cornerThreshold - 0.25) } : null,
  },
  // sub-pixel edges (2x, then 4x): anti-aliased outlines placed where the source's coverage puts them
  {
    keys: ['subpixel'],
    apply: (p) => (p.subpixel < 4 ? { subpixel: p.subpixel < 2 ? 2 : 4 } : null),
  },
  {
    keys: ['mode'],
    apply: (p) => (p.mode === 'mono' ? { mode: 'color', colors: Math.max(p.colors, 8) } : null),
  },
  // exact regions beat stacked layers on some overlapping shapes and lose on others: the climb keeps the winner
  {
    keys: ['layering'],
    apply: (p) => (p.mode === 'color' && p.layering === 'stacked' ? { layering: 'cutout' } : null),
  },
  { keys: ['precision'], apply: (p) => (p.precision < 2 ? { precision: p.precision + 1 } : null) },
  // halving, then off: exact potrace curves (tolerance 0) are what lifts small lettering over its target
  {
    keys: ['curveTolerance'],
    apply: (p) =>
      p.curveTolerance > 0 ? { curveTolerance: p.curveTolerance > 0.05 ? p.curveTolerance / 2 : 0 } : null,
  },
  { keys: ['blur'], apply: (p) => (p.blur > 0 ? { blur: 0 } : null) },
  {
    keys: ['colors'],
    apply: (p) =>
      p.mode === 'color' && p.colors < 64 ? { colors: Math.min(64, Math.ceil(p.colors * 1.5)) } : null,
  },
  // exact outlines in one step: each of these alone can lower SSIM on small marks while all together raise it
  // (sharp corners with unjoined curves follow anti-aliased lettering instead of rounding it off)
  {
    keys: ['curveTolerance', 'cornerThreshold', 'speckle', 'minRegionArea'],
    apply: (p) =>
      p.curveTolerance > 0 || p.cornerThreshold > 0.3 || p.speckle > 0 || p.minRegionArea > 0
        ? {
            curveTolerance: 0,
            cornerThreshold: Math.min(p.cornerThreshold, 0.3),
            speckle: 0,
            minRegionArea: 0,
          }
        : null,
  },
];
