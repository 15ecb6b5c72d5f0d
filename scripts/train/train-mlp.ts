/** Trains a small MLP in TypeScript: Adam, minibatches, L2, early stopping on validation loss. Deterministic per seed. */
import type { DenseLayer, Mlp } from './mlp-model';
import { softmaxInPlace } from './softmax';
import { createRandom } from '@/scripts/dataset/random';
import { classWeights } from './class-weights';

type TrainSet = { x: Float32Array[]; y: number[] | Float32Array[] };

type TrainOptions = {
  hidden: number[];
  head: 'softmax' | 'linear';
  /** Number of classes (softmax head). */
  classes?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  patience?: number;
  seed?: number;
  /** Weight each class by inverse frequency so rare classes count as much as common ones. */
  balanceClasses?: boolean;
  /**
   * Weight each training class so the training mix matches the validation split's (built like the test split,
   * so like the images the model will be judged on); the validation loss is then unweighted. Wins over
   * balanceClasses.
   */
  matchValidationPrior?: boolean;
  log?: (line: string) => void;
};

type TrainReport = { model: Mlp; epochs: number; bestEpoch: number; bestValLoss: number };

function gaussian(rnd: () => number): number {
  const u = Math.max(1e-12, rnd());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

type Params = { w: Float64Array[]; b: Float64Array[] };

export function trainMlp(train: TrainSet, val: TrainSet, opts: TrainOptions): TrainReport {
  const rnd = createRandom(opts.seed ?? 1);
  const nIn = train.x[0].length;
  const isClass = opts.head === 'softmax';
  const nOut = isClass ? (opts.classes ?? 0) : (train.y[0] as Float32Array).length;
  const sizes = [nIn, ...opts.hidden, nOut];
  const epochs = opts.epochs ?? 200;
  const batch = opts.batchSize ?? 64;
  const lr = opts.learningRate ?? 2e-3;
  const l2 = opts.l2 ?? 1e-4;
  const patience = opts.patience ?? 20;

  // input standardisation from the training set
  const mean = new Float64Array(nIn);
  const std = new Float64Array(nIn);
  for (const r of train.x) for (let i = 0; i < nIn; i++) mean[i] += r[i];
  for (let i = 0; i < nIn; i++) mean[i] /= train.x.length;
  for (const r of train.x) for (let i = 0; i < nIn; i++) std[i] += (r[i] - mean[i]) ** 2;
  for (let i = 0; i < nIn; i++) std[i] = Math.max(1e-3, Math.sqrt(std[i] / train.x.length));
  const norm = (r: Float32Array) => Float64Array.from(r, (v, i) => (v - mean[i]) / std[i]);
  const xs = train.x.map(norm);
  const vxs = val.x.map(norm);

  // regression targets are standardised too, and the scale folded back into the exported head
  const yMean = new Float64Array(isClass ? 0 : nOut);
  const yStd = new Float64Array(isClass ? 0 : nOut);
  if (!isClass) {
    const ys = train.y as Float32Array[];
    for (const r of ys) for (let i = 0; i < nOut; i++) yMean[i] += r[i];
    for (let i = 0; i < nOut; i++) yMean[i] /= ys.length;
    for (const r of ys) for (let i = 0; i < nOut; i++) yStd[i] += (r[i] - yMean[i]) ** 2;
    for (let i = 0; i < nOut; i++) yStd[i] = Math.max(1e-6, Math.sqrt(yStd[i] / ys.length));
  }
  const target = (y: number | Float32Array): Float64Array => {
    if (isClass) {
      const t = new Float64Array(nOut);
      t[y as number] = 1;
      return t;
    }
    return Float64Array.from(y as Float32Array, (v, i) => (v - yMean[i]) / yStd[i]);
  };
  const ts = (train.y as (number | Float32Array)[]).map(target);
  const vts = (val.y as (number | Float32Array)[]).map(target);
  const weightOf = isClass
    ? classWeights(train.y as number[], val.y as number[], nOut, opts)
    : { train: new Float64Array(0), val: new Float64Array(0) };
  const sampleWeight = (k: number, set: 'train' | 'val') =>
    isClass ? weightOf[set][(set === 'train' ? train.y : val.y)[k] as number] : 1;

  const p: Params = { w: [], b: [] };
  for (let l = 0; l < sizes.length - 1; l++) {
    const scale = Math.sqrt(2 / sizes[l]);
    p.w.push(Float64Array.from({ length: sizes[l] * sizes[l + 1] }, () => gaussian(rnd) * scale));
    p.b.push(new Float64Array(sizes[l + 1]));
  }
  const m1 = { w: p.w.map((a) => new Float64Array(a.length)), b: p.b.map((a) => new Float64Array(a.length)) };
  const m2 = { w: p.w.map((a) => new Float64Array(a.length)), b: p.b.map((a) => new Float64Array(a.length)) };
  const g = { w: p.w.map((a) => new Float64Array(a.length)), b: p.b.map((a) => new Float64Array(a.length)) };

  const forward = (x: Float64Array): Float64Array[] => {
    const acts = [x];
    let a = x;
    for (let l = 0; l < p.w.length; l++) {
      const nO = sizes[l + 1];
      const z = Float64Array.from(p.b[l]);
      const W = p.w[l];
      for (let i = 0; i < a.length; i++) {
        const ai = a[i];
        if (ai === 0) continue;
        const row = i * nO;
        for (let o = 0; o < nO; o++) z[o] += ai * W[row + o];
      }
      if (l < p.w.length - 1) for (let o = 0; o < nO; o++) if (z[o] < 0) z[o] = 0;
      acts.push(z);
      a = z;
    }
    if (isClass) softmaxInPlace(a);
    return acts;
  };
  const lossOf = (out: Float64Array, t: Float64Array): number => {
    let loss = 0;
    if (isClass) for (let i = 0; i < nOut; i++) loss -= t[i] * Math.log(Math.max(1e-12, out[i]));
    else for (let i = 0; i < nOut; i++) loss += 0.5 * (out[i] - t[i]) ** 2;
    return loss;
  };
  const valLoss = (): number => {
    let s = 0;
    let wsum = 0;
    for (let k = 0; k < vxs.length; k++) {
      const acts = forward(vxs[k]);
      const w = sampleWeight(k, 'val');
      s += w * lossOf(acts[acts.length - 1], vts[k]);
      wsum += w;
    }
    return s / Math.max(1e-9, wsum);
  };

  let step = 0;
  let best = Infinity;
  let bestEpoch = 0;
  let bestParams: Params = { w: p.w.map((a) => a.slice()), b: p.b.map((a) => a.slice()) };
  const order = Array.from(xs, (_, i) => i);
  let epoch = 0;
  for (; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batch) {
      const idx = order.slice(start, start + batch);
      for (const a of g.w) a.fill(0);
      for (const a of g.b) a.fill(0);
      for (const k of idx) {
        const acts = forward(xs[k]);
        const w = sampleWeight(k, 'train');
        // softmax + cross-entropy and linear + MSE share the same output gradient: out - target
        let delta = Float64Array.from(acts[acts.length - 1], (v, i) => (v - ts[k][i]) * w);
        for (let l = p.w.length - 1; l >= 0; l--) {
          const aIn = acts[l];
          const nO = sizes[l + 1];
          const W = p.w[l];
          const gW = g.w[l];
          const gb = g.b[l];
          for (let o = 0; o < nO; o++) gb[o] += delta[o];
          const prev = l > 0 ? new Float64Array(sizes[l]) : null;
          for (let i = 0; i < aIn.length; i++) {
            const ai = aIn[i];
            const row = i * nO;
            let s = 0;
            for (let o = 0; o < nO; o++) {
              gW[row + o] += ai * delta[o];
              s += W[row + o] * delta[o];
            }
            if (prev) prev[i] = ai > 0 ? s : 0;
          }
          if (prev) delta = prev;
        }
      }
      step++;
      const b1 = 0.9;
      const b2 = 0.999;
      const c1 = 1 - b1 ** step;
      const c2 = 1 - b2 ** step;
      const update = (
        param: Float64Array,
        grad: Float64Array,
        mm: Float64Array,
        vv: Float64Array,
        decay: number,
      ) => {
        for (let i = 0; i < param.length; i++) {
          const gi = grad[i] / idx.length + decay * param[i];
          mm[i] = b1 * mm[i] + (1 - b1) * gi;
          vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
          param[i] -= (lr * (mm[i] / c1)) / (Math.sqrt(vv[i] / c2) + 1e-8);
        }
      };
      for (let l = 0; l < p.w.length; l++) {
        update(p.w[l], g.w[l], m1.w[l], m2.w[l], l2);
        update(p.b[l], g.b[l], m1.b[l], m2.b[l], 0);
      }
    }
    const vl = valLoss();
    if (vl < best - 1e-6) {
      best = vl;
      bestEpoch = epoch;
      bestParams = { w: p.w.map((a) => a.slice()), b: p.b.map((a) => a.slice()) };
    } else if (epoch - bestEpoch >= patience) {
      opts.log?.(`early stop at epoch ${epoch} (best ${bestEpoch}, val loss ${best.toFixed(4)})`);
      break;
    }
    if (epoch % 20 === 0) opts.log?.(`epoch ${epoch} val loss ${vl.toFixed(4)}`);
  }

  const layers: DenseLayer[] = bestParams.w.map((w, l) => ({
    inputs: sizes[l],
    outputs: sizes[l + 1],
    weights: Float32Array.from(w),
    bias: Float32Array.from(bestParams.b[l]),
  }));
  const model: Mlp = {
    mean: Float32Array.from(mean),
    std: Float32Array.from(std),
    layers,
    head: opts.head,
    ...(isClass ? {} : { outScale: Float32Array.from(yStd), outOffset: Float32Array.from(yMean) }),
  };
  return { model, epochs: epoch, bestEpoch, bestValLoss: best };
}
