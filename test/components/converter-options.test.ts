// Contract between the conversion page and the API: every position of every control maps to options the
// server's own zod schema accepts, and remembered options survive tampering.
import { afterEach, describe, expect, it } from 'vitest';
import { convertOptionsSchema } from '@/lib/api/schemas';
import {
  DEFAULT_OPTIONS,
  loadOptions,
  saveOptions,
  toApiOptions,
  type UiOptions,
} from '@/components/converter/options';
import { svgFileName } from '@/components/converter/format';

describe('toApiOptions', () => {
  it('produces options the API accepts for every control position', () => {
    let checked = 0;
    for (const mode of ['auto', 'color', 'mono'] as const) {
      for (const quality of ['fast', 'balanced', 'best'] as const) {
        for (const colors of [2, 16, 64]) {
          for (let detail = 1; detail <= 5; detail++) {
            for (const smoothness of [0, 35, 100]) {
              const ui: UiOptions = { mode, quality, colors, detail, smoothness };
              const parsed = convertOptionsSchema.safeParse(toApiOptions(ui));
              expect(parsed.success, JSON.stringify(ui)).toBe(true);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(3 * 3 * 3 * 5 * 3);
  });

  it('maps smoothness onto the full corner-threshold range and more detail onto smaller specks', () => {
    expect(toApiOptions({ ...DEFAULT_OPTIONS, smoothness: 0 }).params.cornerThreshold).toBe(0);
    expect(toApiOptions({ ...DEFAULT_OPTIONS, smoothness: 100 }).params.cornerThreshold).toBe(1.334);
    const specks = [1, 2, 3, 4, 5].map(
      (detail) => toApiOptions({ ...DEFAULT_OPTIONS, detail }).params.speckle,
    );
    expect(specks).toEqual([...specks].sort((a, b) => b - a));
    expect(toApiOptions({ ...DEFAULT_OPTIONS, mode: 'mono' }).params.colors).toBeUndefined();
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
    const chosen: UiOptions = { mode: 'mono', quality: 'best', colors: 8, detail: 5, smoothness: 20 };
    saveOptions(chosen);
    expect(loadOptions()).toEqual(chosen);
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
  });
});

describe('svgFileName', () => {
  it('swaps the extension and strips characters unsafe in file and zip names', () => {
    expect(svgFileName('logo.final.png')).toBe('logo.final.svg');
    expect(svgFileName('a/b\\c:d*?.jpg')).toBe('a_b_c_d_.svg');
    expect(svgFileName('.png')).toBe('image.svg');
  });
});
