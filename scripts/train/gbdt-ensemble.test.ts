import { describe, expect, it } from 'vitest';
import { predictScores } from '@/lib/ai/gbdt';
import { createRandom } from '@/lib/dataset/random';
import { mergeGbdts } from './gbdt-ensemble';
import { trainGbdt } from './gbdt';

function blobs(n: number, seed: number) {
  const rnd = createRandom(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push(Float32Array.of(c + rnd() * 1.5, rnd(), rnd() * c));
    y.push(c);
  }
  return { x, y };
}

describe('mergeGbdts', () => {
  it("scores every row with the mean of the members' scores", () => {
    const train = blobs(600, 1);
    const val = blobs(200, 2);
    const members = [1, 2, 3].map(
      (seed) => trainGbdt(train, val, { classes: 3, rounds: 30, maxDepth: 3, subsample: 0.7, seed }).model,
    );
    const merged = mergeGbdts(members);
    expect(merged.trees).toHaveLength(members.reduce((s, m) => s + m.trees.length, 0));
    for (const row of blobs(50, 3).x) {
      const got = predictScores(merged, row);
      const each = members.map((m) => predictScores(m, row));
      for (let c = 0; c < 3; c++) expect(got[c]).toBeCloseTo((each[0][c] + each[1][c] + each[2][c]) / 3, 5);
    }
  });

  it('refuses members with different feature counts', () => {
    const a = { classes: 2, features: 3, baseScore: [0, 0], trees: [] };
    expect(() => mergeGbdts([a, { ...a, features: 4 }])).toThrow(/differ/);
  });
});
