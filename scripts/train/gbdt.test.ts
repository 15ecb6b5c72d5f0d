import { describe, expect, it } from 'vitest';
import { predictProba, type GbdtModel } from './gbdt-model';
import { createRandom } from '@/scripts/dataset/random';
import { quantileEdges, trainGbdt, type GbdtSet } from './gbdt';

/** Four classes from two XORs of feature signs (2 * xor(x0, x1) + xor(x2, x3)), plus four noise features. */
function xorSet(n: number, seed: number, labelNoise = 0): GbdtSet {
  const rnd = createRandom(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = Float32Array.from({ length: 8 }, () => rnd() * 2 - 1);
    let label = 2 * (Number(r[0] > 0) ^ Number(r[1] > 0)) + (Number(r[2] > 0) ^ Number(r[3] > 0));
    if (rnd() < labelNoise) label = Math.floor(rnd() * 4);
    x.push(r);
    y.push(label);
  }
  return { x, y };
}

function accuracy(model: GbdtModel, set: GbdtSet): number {
  let correct = 0;
  set.x.forEach((r, i) => {
    const p = predictProba(model, r);
    if (p.indexOf(Math.max(...p)) === set.y[i]) correct++;
  });
  return correct / set.x.length;
}

describe('trainGbdt', () => {
  const train = xorSet(3000, 1);
  const val = xorSet(500, 2);
  const test = xorSet(1000, 3);

  it('learns XOR-like classes that no single feature separates', () => {
    const { model } = trainGbdt(train, val, {
      classes: 4,
      rounds: 150,
      learningRate: 0.2,
      maxDepth: 4,
      subsample: 0.8,
      colsample: 0.8,
      seed: 3,
    });
    expect(accuracy(model, test)).toBeGreaterThan(0.95);
    const p = predictProba(model, test.x[0]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('cannot learn the same classes with depth-1 trees, which see one feature at a time', () => {
    const { model } = trainGbdt(train, val, { classes: 4, rounds: 100, maxDepth: 1, seed: 3 });
    expect(accuracy(model, test)).toBeLessThan(0.4);
  });

  it('is reproducible per seed and changes with the seed when subsampling', () => {
    const opts = { classes: 4, rounds: 20, maxDepth: 3, subsample: 0.7, colsample: 0.5 };
    const a = trainGbdt(train, val, { ...opts, seed: 7 }).model;
    const b = trainGbdt(train, val, { ...opts, seed: 7 }).model;
    const c = trainGbdt(train, val, { ...opts, seed: 8 }).model;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('stops early on noisy labels and keeps the rounds up to the best validation loss', () => {
    const noisyTrain = xorSet(1500, 4, 0.4);
    const noisyVal = xorSet(500, 5, 0.4);
    const report = trainGbdt(noisyTrain, noisyVal, {
      classes: 4,
      rounds: 2000,
      learningRate: 0.3,
      maxDepth: 6,
      minSamplesLeaf: 2,
      patience: 10,
      seed: 1,
    });
    expect(report.rounds).toBeLessThan(2000);
    expect(report.rounds).toBe(report.bestRound + 11);
    expect(report.model.trees).toHaveLength(report.bestRound + 1);
  });

  it('predicts a rare class more often when classes are balanced', () => {
    // class 1 is 10% of rows and lies inside class 0's range [0, 1] on [0.4, 1]: there it is the likelier class
    // only once weighted by inverse frequency
    const make = (n: number, seed: number): GbdtSet => {
      const rnd = createRandom(seed);
      const x: Float32Array[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const label = rnd() < 0.1 ? 1 : 0;
        x.push(Float32Array.of(label ? 0.4 + 0.6 * rnd() : rnd(), rnd()));
        y.push(label);
      }
      return { x, y };
    };
    const data = make(3000, 6);
    const holdout = make(1000, 7);
    const opts = { classes: 2, rounds: 50, maxDepth: 2, seed: 2 };
    const rare = (model: GbdtModel) =>
      holdout.x.filter((r) => {
        const p = predictProba(model, r);
        return p[1] > p[0];
      }).length;
    const plain = trainGbdt(data, holdout, opts).model;
    const balanced = trainGbdt(data, holdout, { ...opts, balanceClasses: true }).model;
    expect(rare(plain)).toBeLessThan(50);
    expect(rare(balanced)).toBeGreaterThan(300);
  });
});

describe('quantileEdges', () => {
  it('gives every distinct value its own bin when there are few', () => {
    const edges = quantileEdges(Float32Array.of(3, 1, 2, 2, 1, 3, 3), 64);
    expect(Array.from(edges)).toEqual([1.5, 2.5]);
  });

  it('caps the bin count and puts a similar number of values in each bin', () => {
    const rnd = createRandom(4);
    const values = Float32Array.from({ length: 10_000 }, () => rnd() ** 3);
    const edges = quantileEdges(values, 64);
    expect(edges.length).toBe(63);
    const counts = new Array<number>(64).fill(0);
    for (const v of values)
      counts[edges.findIndex((e) => v <= e) === -1 ? 63 : edges.findIndex((e) => v <= e)]++;
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThan(220);
  });

  it('returns no edge for a constant feature', () => {
    expect(quantileEdges(new Float32Array(50).fill(0.3), 64)).toHaveLength(0);
  });
});
