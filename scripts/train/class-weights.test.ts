import { describe, expect, it } from 'vitest';
import { classWeights } from './class-weights';

// training: 6 of class 0, 2 of class 1, 2 of class 2; validation: 2, 2 and 4
const trainY = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
const valY = [0, 0, 1, 1, 2, 2, 2, 2];

describe('classWeights', () => {
  it('gives the weighted training set the class mix of the validation set, and leaves validation unweighted', () => {
    const w = classWeights(trainY, valY, 3, { matchValidationPrior: true });
    const mass = [0, 0, 0];
    for (const y of trainY) mass[y] += w.train[y];
    const total = mass.reduce((a, b) => a + b, 0);
    expect(mass.map((m) => m / total)).toEqual([0.25, 0.25, 0.5].map((v) => expect.closeTo(v, 9)));
    expect(Array.from(w.val)).toEqual([1, 1, 1]);
  });

  it('balances classes by inverse frequency in both sets', () => {
    const w = classWeights(trainY, valY, 3, { balanceClasses: true });
    const mass = [0, 0, 0];
    for (const y of trainY) mass[y] += w.train[y];
    expect(mass[0]).toBeCloseTo(mass[1], 9);
    expect(mass[1]).toBeCloseTo(mass[2], 9);
    expect(Array.from(w.val)).toEqual(Array.from(w.train));
  });

  it('weights nothing by default and gives a class absent from training no weight', () => {
    expect(Array.from(classWeights(trainY, valY, 3, {}).train)).toEqual([1, 1, 1]);
    expect(classWeights([0, 0, 1], [0, 2], 3, { matchValidationPrior: true }).train[2]).toBe(0);
  });
});
