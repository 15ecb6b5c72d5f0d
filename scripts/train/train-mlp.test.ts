import { describe, expect, it } from 'vitest';
import { forwardMlp } from './mlp-model';
import { createRandom } from '@/scripts/dataset/random';
import { trainMlp } from './train-mlp';

function rings(n: number, seed: number) {
  const rnd = createRandom(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rnd() * 2 * Math.PI;
    const c = i % 3;
    const r = 1 + c + (rnd() - 0.5) * 0.5;
    x.push(Float32Array.of(r * Math.cos(a) * 10 + 5, r * Math.sin(a)));
    y.push(c);
  }
  return { x, y };
}

describe('trainMlp', () => {
  it('learns a non-linear three-class problem and is reproducible', () => {
    const train = rings(600, 1);
    const val = rings(200, 2);
    const test = rings(300, 3);
    const opts = { hidden: [16, 16], head: 'softmax' as const, classes: 3, epochs: 60, seed: 5 };
    const { model } = trainMlp(train, val, opts);
    let correct = 0;
    test.x.forEach((r, i) => {
      const p = forwardMlp(model, r);
      if (p.indexOf(Math.max(...p)) === test.y[i]) correct++;
    });
    expect(correct / test.x.length).toBeGreaterThan(0.9);
    const again = trainMlp(train, val, opts).model;
    expect(Array.from(again.layers[0].weights)).toEqual(Array.from(model.layers[0].weights));
  });

  it('fits a regression target in its original units', () => {
    const rnd = createRandom(9);
    const make = (n: number) => {
      const x: Float32Array[] = [];
      const y: Float32Array[] = [];
      for (let i = 0; i < n; i++) {
        const a = rnd();
        const b = rnd();
        x.push(Float32Array.of(a, b));
        y.push(Float32Array.of(100 * a * b + 50, 3 - 2 * a));
      }
      return { x, y };
    };
    const { model } = trainMlp(make(500), make(100), {
      hidden: [16],
      head: 'linear',
      epochs: 300,
      batchSize: 32,
      learningRate: 5e-3,
      seed: 2,
    });
    const out = forwardMlp(model, [0.5, 0.5]);
    expect(out[0]).toBeGreaterThan(70);
    expect(out[0]).toBeLessThan(80);
    expect(out[1]).toBeCloseTo(2, 0);
  });
});
