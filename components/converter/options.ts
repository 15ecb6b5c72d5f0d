/**
 * The converter's options: what the controls show, how they map to API options, and remembering the defaults.
 * The panel holds the defaults for new images; each image then keeps its own copy (per-image options).
 */
import type { ConvertApiOptions } from '@/lib/api/schemas';
import { hexColorSchema } from '@/lib/palette/css-color';

export type UiOptions = {
  mode: ApiOptions['mode'];
  /** Palette size: an upper bound, or the exact count with exactColors (colour mode). */
  colors: number;
  /** Exactly `colors` colours instead of at most. */
  exactColors: boolean;
  /** A user palette (brand colours, #rrggbb): every region snaps to the nearest. Empty: the image's own. */
  palette: string[];
  /** Colours made transparent by re-tracing (a dropped swatch that removing its shapes cannot drop). */
  remove: string[];
  /** 1 (fewest details, smallest SVG) .. 5 (keep small specks and regions). */
  detail: number;
  /** 0 (sharp polygons) .. 100 (round curves). */
  smoothness: number;
  quality: ApiOptions['quality'];
  /** Advanced: stacked layers (no seams) or cutout (disjoint regions, for cutters). */
  layering: 'stacked' | 'cutout';
  /** Advanced: drop traced specks up to this many px; null follows `detail`. */
  speckle: number | null;
  /** Advanced: curve joining tolerance, 0 (exact polygon) .. 2 px. */
  curveTolerance: number;
  /** The background: kept as a shape, dropped (transparent) or replaced by `backgroundColor`. */
  background: 'keep' | 'drop' | 'replace';
  backgroundColor: string;
  /** Black & white: the one ink. */
  ink: string;
};

export const DEFAULT_OPTIONS: UiOptions = {
  mode: 'auto',
  colors: 16,
  exactColors: false,
  palette: [],
  remove: [],
  detail: 3,
  smoothness: 75,
  quality: 'balanced',
  layering: 'stacked',
  speckle: null,
  curveTolerance: 0.2,
  background: 'keep',
  backgroundColor: '#ffffff',
  ink: '#000000',
};

// v1 still: options added since read their defaults from older entries (sanitizeOptions)
const STORAGE_KEY = 'svgai.converter.options.v1';

/** Speckle (px) and minimum region share for each detail step; step 3 matches the engine's defaults. */
const DETAIL_STEPS: Record<number, { speckle: number; minRegionArea: number }> = {
  1: { speckle: 24, minRegionArea: 0.002 },
  2: { speckle: 10, minRegionArea: 0.0008 },
  3: { speckle: 4, minRegionArea: 0.0002 },
  4: { speckle: 2, minRegionArea: 0.00005 },
  5: { speckle: 0, minRegionArea: 0 },
};

/** The speckle size the detail step implies (what the advanced control shows until it is moved). */
export function speckleOf(o: UiOptions): number {
  return o.speckle ?? (DETAIL_STEPS[o.detail] ?? DETAIL_STEPS[3]).speckle;
}

/** What the page sends: the convert endpoint's options (lib/api/schemas.ts). */
export type ApiOptions = ConvertApiOptions;

export function toApiOptions(o: UiOptions) {
  const detail = DETAIL_STEPS[o.detail] ?? DETAIL_STEPS[3];
  const palette = {
    ...(o.mode !== 'mono' && o.palette.length > 0 ? { colors: o.palette } : {}),
    ...(o.mode !== 'mono' && o.palette.length === 0 && o.exactColors ? { count: o.colors } : {}),
    ...(o.remove.length > 0 ? { remove: o.remove } : {}),
  };
  return {
    mode: o.mode,
    quality: o.quality,
    params: {
      ...(o.mode === 'mono' || o.palette.length > 0 ? {} : { colors: o.colors }),
      speckle: speckleOf(o),
      minRegionArea: detail.minRegionArea,
      cornerThreshold: Math.round((o.smoothness / 100) * 1.334 * 1000) / 1000,
      curveTolerance: o.curveTolerance,
      layering: o.layering,
    },
    ...(Object.keys(palette).length > 0 ? { palette } : {}),
    background: o.background === 'replace' ? { replace: o.backgroundColor } : o.background,
    ...(o.mode === 'mono' ? { ink: o.ink } : {}),
  } satisfies ApiOptions;
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

function hexes(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c) => {
    const parsed = hexColorSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Anything missing or tampered with falls back to the default (options come back from storage and history). */
export function sanitizeOptions(raw: unknown): UiOptions {
  if (!raw || typeof raw !== 'object') return DEFAULT_OPTIONS;
  const r = raw as Partial<Record<keyof UiOptions, unknown>>;
  const tolerance =
    typeof r.curveTolerance === 'number' && Number.isFinite(r.curveTolerance) ? r.curveTolerance : 0.2;
  return {
    mode: r.mode === 'color' || r.mode === 'mono' ? r.mode : 'auto',
    colors: clampInt(r.colors, 2, 64, DEFAULT_OPTIONS.colors),
    exactColors: r.exactColors === true,
    palette: hexes(r.palette).slice(0, 64),
    remove: hexes(r.remove).slice(0, 64),
    detail: clampInt(r.detail, 1, 5, DEFAULT_OPTIONS.detail),
    smoothness: clampInt(r.smoothness, 0, 100, DEFAULT_OPTIONS.smoothness),
    quality: r.quality === 'fast' || r.quality === 'best' ? r.quality : 'balanced',
    layering: r.layering === 'cutout' ? 'cutout' : 'stacked',
    speckle: r.speckle === null || r.speckle === undefined ? null : clampInt(r.speckle, 0, 100, 4),
    curveTolerance: Math.min(2, Math.max(0, Math.round(tolerance * 10) / 10)),
    background: r.background === 'drop' || r.background === 'replace' ? r.background : 'keep',
    backgroundColor: hexes([r.backgroundColor])[0] ?? DEFAULT_OPTIONS.backgroundColor,
    ink: hexes([r.ink])[0] ?? DEFAULT_OPTIONS.ink,
  };
}

/** Reads the remembered defaults. */
export function loadOptions(): UiOptions {
  try {
    return sanitizeOptions(JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return DEFAULT_OPTIONS;
  }
}

export function saveOptions(o: UiOptions): void {
  try {
    // swatch drops belong to one image, never to the defaults
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...o, remove: [] }));
  } catch {
    // Private browsing or a full quota: the page still works, it just forgets.
  }
}

/** Parses a typed list of colours ("#d62828, #1d3557 #fff"): the valid ones, and whether any was not. */
export function parsePaletteText(text: string): { colors: string[]; invalid: string[] } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const colors: string[] = [];
  const invalid: string[] = [];
  for (const p of parts) {
    const parsed = hexColorSchema.safeParse(p.startsWith('#') ? p : `#${p}`);
    if (parsed.success) {
      if (!colors.includes(parsed.data)) colors.push(parsed.data);
    } else invalid.push(p);
  }
  return { colors, invalid };
}
