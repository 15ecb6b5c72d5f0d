import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempModelDir } from '@/test/fixtures/model-dir';
import { createRandom } from '@/scripts/dataset/random';
import { predictProba, type GbdtModel, type GbdtTree } from '../gbdt-model';
import { loadModel } from '@/lib/ai/onnx/model-session';
import { writeTreeOnnx } from './write-tree-onnx';

/** Thresholds and inputs share this grid, so many rows land exactly on a threshold (the `<=` edge case). */
const GRID = [-1.5, -0.25, 0, 0.125, 0.5, 2, 3.75];

function randomTree(depth: number, features: number, rnd: () => number): GbdtTree {
  const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const grow = (d: number): number => {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(Math.fround(rnd() - 0.5));
    // uneven shapes: some branches stop early
    if (d < depth && rnd() < 0.85) {
      tree.feature[id] = Math.floor(rnd() * features);
      tree.threshold[id] = GRID[Math.floor(rnd() * GRID.length)];
      tree.left[id] = grow(d + 1);
      tree.right[id] = grow(d + 1);
    }
    return id;
  };
  grow(0);
  return tree;
}

function randomModel(features: number, classes: number, rounds: number, seed: number): GbdtModel {
  const rnd = createRandom(seed);
  return {
    classes,
    features,
    baseScore: Array.from({ length: classes }, () => Math.fround(rnd() - 0.5)),
    trees: Array.from({ length: rounds }, () =>
      Array.from({ length: classes }, () => randomTree(4, features, rnd)),
    ),
  };
}

const modelFile = tempModelDir('svgai-tree-onnx-');

describe('writeTreeOnnx round trip through onnxruntime', () => {
  it('gives the TypeScript predictProba probabilities for the same rows', async () => {
    const model = randomModel(10, 4, 30, 11);
    const file = modelFile('trees.onnx');
    await writeFile(file, writeTreeOnnx(model, { classes: 'a,b,c,d' }));
    const loaded = await loadModel('rt-trees', file, 10, 4);
    const rnd = createRandom(5);
    const rows = Array.from({ length: 200 }, () =>
      Float32Array.from({ length: 10 }, () =>
        rnd() < 0.5 ? GRID[Math.floor(rnd() * GRID.length)] : (rnd() - 0.5) * 8,
      ),
    );
    const outs = await loaded.run(rows);
    let maxDiff = 0;
    rows.forEach((r, i) => {
      const expected = predictProba(model, r);
      for (let k = 0; k < 4; k++) maxDiff = Math.max(maxDiff, Math.abs(outs[i][k] - expected[k]));
      expect(outs[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
    expect(maxDiff).toBeLessThan(1e-5);
    // the rows must exercise the model: predictions differ between rows
    const argmax = outs.map((p) => p.indexOf(Math.max(...p)));
    expect(new Set(argmax).size).toBeGreaterThan(1);
  });

  it('loads a model whose trees are single leaves (base scores only)', async () => {
    const model: GbdtModel = {
      classes: 3,
      features: 5,
      baseScore: [Math.fround(Math.log(0.2)), Math.fround(Math.log(0.3)), Math.fround(Math.log(0.5))],
      trees: [[0, 1, 2].map(() => ({ feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] }))],
    };
    const file = modelFile('stumps.onnx');
    await writeFile(file, writeTreeOnnx(model));
    const loaded = await loadModel('rt-stumps', file, 5, 3);
    const [out] = await loaded.run([new Float32Array(5)]);
    expect(Array.from(out)).toEqual(Array.from(out, (_, k) => expect.closeTo([0.2, 0.3, 0.5][k], 6)));
  });
});
