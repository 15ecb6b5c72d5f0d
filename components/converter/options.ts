/** The converter page's options: what the controls show, how they map to API options, and remembering them. */
import type { ConvertApiOptions } from '@/lib/api/schemas';

export type UiOptions = {
  mode: ApiOptions['mode'];
  /** Palette size upper bound (colour mode). */
  colors: number;
  /** 1 (fewest details, smallest SVG) .. 5 (keep small specks and regions). */
  detail: number;
  /** 0 (sharp polygons) .. 100 (round curves). */
  smoothness: number;
  quality: ApiOptions['quality'];
};

export const DEFAULT_OPTIONS: UiOptions = {
  mode: 'auto',
  colors: 16,
  detail: 3,
  smoothness: 75,
  quality: 'balanced',
};

const STORAGE_KEY = 'svgai.converter.options.v1';

/** Speckle (px) and minimum region share for each detail step; step 3 matches the engine's defaults. */
const DETAIL_STEPS: Record<number, { speckle: number; minRegionArea: number }> = {
  1: { speckle: 24, minRegionArea: 0.002 },
  2: { speckle: 10, minRegionArea: 0.0008 },
  3: { speckle: 4, minRegionArea: 0.0002 },
  4: { speckle: 2, minRegionArea: 0.00005 },
  5: { speckle: 0, minRegionArea: 0 },
};

/** What the page sends: the convert endpoint's options (lib/api/schemas.ts). */
export type ApiOptions = ConvertApiOptions;

export function toApiOptions(o: UiOptions) {
  const detail = DETAIL_STEPS[o.detail] ?? DETAIL_STEPS[3];
  return {
    mode: o.mode,
    quality: o.quality,
    params: {
      ...(o.mode === 'mono' ? {} : { colors: o.colors }),
      ...detail,
      cornerThreshold: Math.round((o.smoothness / 100) * 1.334 * 1000) / 1000,
    },
  } satisfies ApiOptions;
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

/** Reads the remembered choice; anything missing or tampered with falls back to the defaults. */
export function loadOptions(): UiOptions {
  try {
    const raw = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<UiOptions> | null;
    if (!raw || typeof raw !== 'object') return DEFAULT_OPTIONS;
    return {
      mode: raw.mode === 'color' || raw.mode === 'mono' ? raw.mode : 'auto',
      colors: clampInt(raw.colors, 2, 64, DEFAULT_OPTIONS.colors),
      detail: clampInt(raw.detail, 1, 5, DEFAULT_OPTIONS.detail),
      smoothness: clampInt(raw.smoothness, 0, 100, DEFAULT_OPTIONS.smoothness),
      quality: raw.quality === 'fast' || raw.quality === 'best' ? raw.quality : 'balanced',
    };
  } catch {
    return DEFAULT_OPTIONS;
  }
}

export function saveOptions(o: UiOptions): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(o));
  } catch {
    // Private browsing or a full quota: the page still works, it just forgets.
  }
}
