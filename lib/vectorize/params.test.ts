import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, parseMode, resolveParams, traceParamsSchema } from './params';

describe('resolveParams', () => {
  it('returns the mode defaults, which satisfy the schema', () => {
    for (const mode of ['color', 'mono'] as const) {
      expect(resolveParams(mode)).toEqual(DEFAULT_PARAMS[mode]);
      expect(traceParamsSchema.safeParse(DEFAULT_PARAMS[mode]).success).toBe(true);
    }
  });

  it('merges overrides and ignores undefined values', () => {
    const p = resolveParams('color', { colors: 5, precision: undefined, layering: 'cutout' });
    expect(p.colors).toBe(5);
    expect(p.layering).toBe('cutout');
    expect(p.precision).toBe(DEFAULT_PARAMS.color.precision);
  });

  it.each([
    [{ colors: 1 }, 'colors'],
    [{ colors: 2.5 }, 'colors'],
    [{ cornerThreshold: 2 }, 'cornerThreshold'],
    [{ precision: -1 }, 'precision'],
    [{ minRegionArea: 0.5 }, 'minRegionArea'],
    [{ threshold: 300 }, 'threshold'],
    [{ blur: Number.NaN }, 'blur'],
    [{ subpixel: 0 }, 'subpixel'],
    [{ subpixel: 5 }, 'subpixel'],
    [{ subpixel: 1.5 }, 'subpixel'],
    [{ colours: 4 }, 'colours'],
  ])('rejects %j with bad_options naming %s', (overrides, field) => {
    expect(() => resolveParams('color', overrides)).toThrow(
      expect.objectContaining({ kind: 'bad_options', status: 400 }),
    );
    expect(() => resolveParams('color', overrides)).toThrow(new RegExp(`^${field}:`));
  });

  it('keeps sub-pixel tracing off by default (the fast path) and accepts factors 1..4', () => {
    expect(DEFAULT_PARAMS.color.subpixel).toBe(1);
    expect(DEFAULT_PARAMS.mono.subpixel).toBe(1);
    expect(resolveParams('mono', { subpixel: 4 }).subpixel).toBe(4);
  });

  it('validates the mode', () => {
    expect(parseMode(undefined)).toBe('auto');
    expect(parseMode('mono')).toBe('mono');
    expect(() => parseMode('photo')).toThrow(expect.objectContaining({ kind: 'bad_options' }));
  });

  it('documents every parameter in the schema', () => {
    for (const [key, field] of Object.entries(traceParamsSchema.shape)) {
      expect(field.description, key).toMatch(/\S{3,}/);
    }
  });
});
