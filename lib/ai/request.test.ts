import { describe, expect, it } from 'vitest';
import { conversionRequestSchema, parseConversionRequest, tierOf } from './request';

describe('the conversion request', () => {
  it('fills the defaults once: auto mode, balanced quality, no overrides', () => {
    expect(parseConversionRequest({})).toEqual({ mode: 'auto', quality: 'balanced' });
  });

  it.each([
    [{ quality: 'ultra' }, /^quality:/],
    [{ mode: 'sepia' }, /^mode:/],
    [{ targetSsim: 1.5 }, /^targetSsim:/],
    [{ targetSsim: 0.2 }, /^targetSsim:/],
    [{ timeBudgetMs: -1 }, /^timeBudgetMs:/],
    [{ params: { colors: 1000 } }, /^params\.colors:/],
    [{ params: { layering: 'sideways' } }, /^params\.layering:/],
    [{ params: { colours: 4 } }, /^params\.colours: unknown option/],
    [{ colors: 4 }, /^colors: unknown option/],
    [{ limits: { maxBytes: 0, maxPixels: 10 } }, /^limits\.maxBytes:/],
  ])('refuses %j with bad_options naming the field', (value, message) => {
    expect(() => parseConversionRequest(value)).toThrow(
      expect.objectContaining({ kind: 'bad_options', status: 400 }),
    );
    expect(() => parseConversionRequest(value)).toThrow(message);
  });

  it('maps quality to the tier, and an explicit target to the search', () => {
    expect(tierOf(parseConversionRequest({ quality: 'fast' }))).toBe(1);
    expect(tierOf(parseConversionRequest({}))).toBe(2);
    expect(tierOf(parseConversionRequest({ quality: 'best' }))).toBe(3);
    expect(tierOf(parseConversionRequest({ quality: 'fast', targetSsim: 0.9 }))).toBe(3);
  });

  it('documents every field', () => {
    for (const [key, field] of Object.entries(conversionRequestSchema.shape)) {
      expect(field.description, key).toMatch(/\S{3,}/);
    }
  });
});
