import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempModelDir } from '@/test/fixtures/model-dir';
import { createRandom } from '@/scripts/dataset/random';
import { predictProba, type GbdtModel, type GbdtTree } from '../gbdt-model';
import { forwardMlp, type Mlp } from '../mlp-model';
import { loadModel } from '@/lib/ai/onnx/model-session';
import { writeBlendOnnx } from './write-blend-onnx';

const F = 6;
const C = 3;

function randomMlp(rnd: () => number): Mlp {
  const sizes = [F, 8, C];
  return {
    mean: Float32Array.from({ length: F }, () => rnd() - 0.5),
    std: Float32Array.from({ length: F }, () => 0.5 + rnd()),
    layers: sizes.slice(1).map((outputs, i) => ({
      inputs: sizes[i],
      outputs,
      weights: Float32Array.from({ length: sizes[i] * outputs }, () => rnd() * 2 - 1),
      bias: Float32Array.from({ length: outputs }, () => rnd() - 0.5),
    })),
    head: 'softmax',
  };
}

/** Depth-2 trees: a root split and two leaf-parent splits. */
function randomTrees(rnd: () => number): GbdtModel {
  const tree = (): GbdtTree => ({
    feature: [Math.floor(rnd() * F), Math.floor(rnd() * F), -1, -1, Math.floor(rnd() * F), -1, -1],
    threshold: [Math.fround(rnd() - 0.5), Math.fround(rnd() - 0.5), 0, 0, Math.fround(rnd() - 0.5), 0, 0],
    left: [1, 2, -1, -1, 5, -1, -1],
    right: [4, 3, -1, -1, 6, -1, -1],
    value: Array.from({ length: 7 }, () => Math.fround(rnd() * 2 - 1)),
  });
  return {
    classes: C,
    features: F,
    baseScore: [0, 0, 0],
    trees: Array.from({ length: 10 }, () => Array.from({ length: C }, tree)),
  };
}

const modelFile = tempModelDir('svgai-blend-onnx-');

describe('writeBlendOnnx', () => {
  it('outputs the weighted mean of the MLP and tree probabilities', async () => {
    const rnd = createRandom(21);
    const mlp = randomMlp(rnd);
    const trees = randomTrees(rnd);
    const file = modelFile('blend.onnx');
    await writeFile(file, writeBlendOnnx(mlp, trees, 0.3));
    const model = await loadModel('rt-blend', file, F, C);
    const rows = Array.from({ length: 50 }, () => Float32Array.from({ length: F }, () => rnd() * 2 - 1));
    const outs = await model.run(rows);
    rows.forEach((r, i) => {
      const a = forwardMlp(mlp, r);
      const b = predictProba(trees, r);
      for (let k = 0; k < C; k++) expect(outs[i][k]).toBeCloseTo(0.7 * a[k] + 0.3 * b[k], 5);
    });
  });

  it('refuses models of different widths', () => {
    const rnd = createRandom(3);
    const trees = { ...randomTrees(rnd), features: F + 1 };
    expect(() => writeBlendOnnx(randomMlp(rnd), trees, 0.5)).toThrow(/differ/);
  });
});
