import { describe, expect, it } from 'vitest';
import { forwardMlp, type Mlp } from './mlp-model';
import { createRandom } from '@/scripts/dataset/random';
import { mergeEnsemble } from './ensemble';

function randomMlp(seed: number): Mlp {
  const rnd = createRandom(seed);
  const sizes = [5, 6, 4, 3];
  return {
    mean: Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.5),
    std: Float32Array.of(1, 2, 1, 2, 1),
    head: 'softmax',
    layers: sizes.slice(1).map((outputs, i) => ({
      inputs: sizes[i],
      outputs,
      weights: Float32Array.from({ length: sizes[i] * outputs }, () => rnd() - 0.5),
      bias: Float32Array.from({ length: outputs }, () => rnd() - 0.5),
    })),
  };
}

describe('mergeEnsemble', () => {
  it('gives the softmax of the members’ mean logits', () => {
    const members = [randomMlp(1), randomMlp(2), randomMlp(3)];
    const merged = mergeEnsemble(members);
    const x = [0.3, -1, 2, 0.5, 0];
    const logits = members.map((m) => forwardMlp({ ...m, head: 'linear' }, x));
    const meanLogits = logits[0].map((_, j) => logits.reduce((s, l) => s + l[j], 0) / members.length);
    const max = Math.max(...meanLogits);
    const exp = meanLogits.map((v) => Math.exp(v - max));
    const expected = exp.map((v) => v / exp.reduce((a, b) => a + b, 0));
    const got = forwardMlp(merged, x);
    expected.forEach((v, j) => expect(got[j]).toBeCloseTo(v, 5));
    expect(merged.layers[0].outputs).toBe(18);
  });
});
