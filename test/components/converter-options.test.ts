// Contract between the conversion page and the API: every position of every control maps to options the
// server's own zod schema accepts, and remembered options survive tampering.
import { afterEach, describe, expect, it } from 'vitest';
import { convertOptionsSchema } from '@/lib/api/schemas';
import {
  DEFAULT_OPTIONS,
  loadOptions,
  parsePaletteText,
  saveOptions,
  toApiOptions,
  type UiOptions,
} from '@/components/converter/options';
import { fileNameAs, svgFileName } from '@/components/converter/format';

describe('background and ink', () => {
  it('map to the API: keep, drop, {replace}; the ink only in Black & white', () => {
    expect(toApiOptions(DEFAULT_OPTIONS).background).toBe('keep');
    expect(toApiOptions(DEFAULT_OPTIONS)).not.toHaveProperty('ink');
    const mono = toApiOptions({ ...DEFAULT_OPTIONS, mode: 'mono', background: 'drop' });
    expect(mono).toMatchObject({ background: 'drop', ink: '#000000' });
    const replaced = toApiOptions({ ...DEFAULT_OPTIONS, background: 'replace', backgroundColor: '#00aa00' });
    expect(convertOptionsSchema.parse(replaced).background).toEqual({ replace: '#00aa00' });
  });

  it('tampered remembered values fall back to the defaults', () => {
    window.localStorage.setItem(
      'svgai.converter.options.v1',
      JSON.stringify({ background: 'nothing', backgroundColor: 'red', ink: 'url(x)' }),
    );
    const o = loadOptions();
    expect([o.background, o.backgroundColor, o.ink]).toEqual(['keep', '#ffffff', '#000000']);
  });
});

describe('toApiOptions', () => {
  it('produces options the API accepts for every control position', () => {
    let checked = 0;
    for (const mode of ['auto', 'color', 'mono'] as const) {
      for (const quality of ['fast', 'balanced', 'best'] as const) {
        for (const colors of [2, 16, 64]) {
          for (let detail = 1; detail <= 5; detail++) {
            for (const smoothness of [0, 35, 100]) {
              for (const extra of [
                {},
                { exactColors: true },
                { palette: ['#ff0000', '#00ff00'] },
                { remove: ['#ffffff'], layering: 'cutout' as const },
                { speckle: 100, curveTolerance: 2 },
                { speckle: 0, curveTolerance: 0 },
                { background: 'drop' as const, ink: '#1d3557' },
                { background: 'replace' as const, backgroundColor: '#ffcc00' },
              ]) {
                const ui: UiOptions = {
                  ...DEFAULT_OPTIONS,
                  mode,
                  quality,
                  colors,
                  detail,
                  smoothness,
                  ...extra,
                };
                const parsed = convertOptionsSchema.safeParse(toApiOptions(ui));
                expect(parsed.success, JSON.stringify(ui)).toBe(true);
                checked++;
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(3 * 3 * 3 * 5 * 3 * 8);
  });

  it('maps smoothness onto the full corner-threshold range and more detail onto smaller specks', () => {
    expect(toApiOptions({ ...DEFAULT_OPTIONS, smoothness: 0 }).params.cornerThreshold).toBe(0);
    expect(toApiOptions({ ...DEFAULT_OPTIONS, smoothness: 100 }).params.cornerThreshold).toBe(1.334);
    const specks = [1, 2, 3, 4, 5].map(
      (detail) => toApiOptions({ ...DEFAULT_OPTIONS, detail }).params.speckle,
    );
    expect(specks).toEqual([...specks].sort((a, b) => b - a));
    expect(toApiOptions({ ...DEFAULT_OPTIONS, mode: 'mono' }).params.colors).toBeUndefined();
    // the advanced speckle control wins over the detail step
    expect(toApiOptions({ ...DEFAULT_OPTIONS, detail: 1, speckle: 7 }).params.speckle).toBe(7);
  });

  it('an exact count, a brand palette and removed colours become palette control', () => {
    expect(toApiOptions({ ...DEFAULT_OPTIONS, colors: 5, exactColors: true }).palette).toEqual({ count: 5 });
    const branded = toApiOptions({ ...DEFAULT_OPTIONS, palette: ['#d62828'], exactColors: true });
    expect(branded.palette).toEqual({ colors: ['#d62828'] });
    expect(branded.params.colors).toBeUndefined();
    expect(toApiOptions({ ...DEFAULT_OPTIONS, remove: ['#ffffff'] }).palette).toEqual({
      remove: ['#ffffff'],
    });
    expect(toApiOptions(DEFAULT_OPTIONS)).not.toHaveProperty('palette');
  });
});

describe('parsePaletteText', () => {
  it('reads colours however they are separated, with or without #, and names what is not one', () => {
    expect(parsePaletteText('#D62828, 1d3557 #fff;;#fff nope')).toEqual({
      colors: ['#d62828', '#1d3557', '#ffffff'],
      invalid: ['nope'],
    });
  });
});

describe('remembered options', () => {
  const store = new Map<string, string>();
  (globalThis as { window?: unknown }).window = {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    },
  };
  afterEach(() => store.clear());

  it('round-trips through localStorage', () => {
    const chosen: UiOptions = {
      ...DEFAULT_OPTIONS,
      mode: 'mono',
      quality: 'best',
      colors: 8,
      detail: 5,
      smoothness: 20,
      palette: ['#123456'],
      layering: 'cutout',
      speckle: 12,
      curveTolerance: 1.5,
    };
    saveOptions(chosen);
    expect(loadOptions()).toEqual(chosen);
    // a swatch removal belongs to one image: never remembered as a default
    saveOptions({ ...chosen, remove: ['#ffffff'] });
    expect(loadOptions().remove).toEqual([]);
  });

  it('falls back to defaults for missing, corrupt or out-of-range values', () => {
    expect(loadOptions()).toEqual(DEFAULT_OPTIONS);
    store.set('svgai.converter.options.v1', '{not json');
    expect(loadOptions()).toEqual(DEFAULT_OPTIONS);
    store.set(
      'svgai.converter.options.v1',
      JSON.stringify({ mode: 'rainbow', colors: 999, detail: -3, smoothness: 'x' }),
    );
    expect(loadOptions()).toEqual({ ...DEFAULT_OPTIONS, colors: 64, detail: 1 });
    // what an older version remembered still loads, the newer options at their defaults
    store.set(
      'svgai.converter.options.v1',
      JSON.stringify({ mode: 'color', colors: 8, detail: 2, smoothness: 50, quality: 'fast' }),
    );
    expect(loadOptions()).toEqual({
      ...DEFAULT_OPTIONS,
      mode: 'color',
      colors: 8,
      detail: 2,
      smoothness: 50,
      quality: 'fast',
    });
    store.set(
      'svgai.converter.options.v1',
      JSON.stringify({ palette: ['#12345', 'red', '#abc'], curveTolerance: 9 }),
    );
    expect(loadOptions()).toMatchObject({ palette: ['#aabbcc'], curveTolerance: 2 });
  });
});

describe('svgFileName / fileNameAs', () => {
  it('swaps the extension and strips characters unsafe in file and zip names', () => {
    expect(svgFileName('logo.final.png')).toBe('logo.final.svg');
    expect(svgFileName('a/b\\c:d*?.jpg')).toBe('a_b_c_d_.svg');
    expect(svgFileName('.png')).toBe('image.svg');
    expect(fileNameAs('logo.png', 'pdf')).toBe('logo.pdf');
    // zip entries keep a dropped folder's structure, never climbing out of it
    expect(fileNameAs('icons/brand/logo.png', 'dxf', true)).toBe('icons/brand/logo.dxf');
    expect(fileNameAs('../../etc/x.png', 'svg', true)).toBe('etc/x.svg');
  });
});
