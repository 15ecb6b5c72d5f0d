import { describe, expect, it } from 'vitest';
import { traceParamsOverridesSchema } from '@/lib/vectorize/params';
import { CLASS_DEFAULTS } from './class-defaults';
import { decodeParams, encodeParams, IMAGE_TYPES, optimizerInput, OPTIMIZER_INPUTS } from './param-encoding';

describe('parameter encoding', () => {
  it('round-trips every class default', () => {
    for (const t of IMAGE_TYPES)
      expect(decodeParams(encodeParams(CLASS_DEFAULTS[t]))).toEqual(CLASS_DEFAULTS[t]);
  });

  it('turns any model output, however wild, into parameters the engine accepts', () => {
    for (const v of [
      [100, 100, 100, 100, 100, 100, 100],
      [-100, -100, -100, -100, -100, -100, -100],
      [NaN, Infinity, -Infinity, NaN, NaN, NaN, NaN],
    ]) {
      expect(traceParamsOverridesSchema.safeParse(decodeParams(v)).success).toBe(true);
    }
  });

  it('appends the class one-hot to the features', () => {
    const x = optimizerInput(new Float32Array(OPTIMIZER_INPUTS - 4).fill(0.5), 'gradient');
    expect(Array.from(x.slice(-4))).toEqual([0, 0, 1, 0]);
  });
});
