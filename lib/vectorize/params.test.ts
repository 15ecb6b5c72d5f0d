import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, traceParamsOverridesSchema, traceParamsSchema, withDefaults } from './params';

describe('trace parameters', () => {
  it('have mode defaults that satisfy the schema', () => {
    for (const mode of ['color', 'mono'] as const) {
      expect(withDefaults(mode)).toEqual(DEFAULT_PARAMS[mode]);
      expect(traceParamsSchema.safeParse(DEFAULT_PARAMS[mode]).success).toBe(true);
    }
  });

  it('merge overrides over the defaults, ignoring undefined values and never changing the defaults', () => {
    const p = withDefaults('color', { colors: 5, precision: undefined, layering: 'cutout' });
    expect(p).toEqual({ ...DEFAULT_PARAMS.color, colors: 5, layering: 'cutout' });
    expect(withDefaults('mono', { colors: 5 }).mode).toBe('mono');
    expect(DEFAULT_PARAMS.color.colors).toBe(16);
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
    [{ mode: 'mono' }, 'mode'],
  ])('refuse %j as overrides (%s)', (overrides, field) => {
    const parsed = traceParamsOverridesSchema.safeParse(overrides);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0];
    expect(issue.code === 'unrecognized_keys' ? issue.keys : issue.path).toContain(field);
  });

  it('keep sub-pixel tracing off by default (the fast path) and accept factors 1..4', () => {
    expect(DEFAULT_PARAMS.color.subpixel).toBe(1);
    expect(DEFAULT_PARAMS.mono.subpixel).toBe(1);
    expect(traceParamsOverridesSchema.parse({ subpixel: 4 }).subpixel).toBe(4);
  });

  it('are each documented in the schema', () => {
    for (const [key, field] of Object.entries(traceParamsSchema.shape)) {
      expect(field.description, key).toMatch(/\S{3,}/);
    }
  });
});
