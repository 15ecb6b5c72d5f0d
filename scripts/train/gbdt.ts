/**
 * Trains a multiclass gradient-boosted tree ensemble in TypeScript: softmax loss, one regression tree per class per
 * round on quantile-binned features, Newton leaf values with L2, row and column subsampling, early stopping on
 * validation log loss. Deterministic per seed.
 */
import { evaluateTree, type GbdtModel, type GbdtTree } from './gbdt-model';
import { softmaxInPlace } from './softmax';
import { createRandom } from '@/scripts/dataset/random';
import { classWeights } from './class-weights';

export type GbdtSet = { x: Float32Array[]; y: number[] };

export type GbdtOptions = {
  classes: number;
  /** Most boosting rounds (each adds one tree per class). */
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  /** Bins per feature, at most 256; histogram splits only fall between bins. */
  maxBins?: number;
  /** L2 penalty on leaf values (the lambda of the Newton step -G / (H + lambda)). */
  lambda?: number;
  minSamplesLeaf?: number;
  minHessianLeaf?: number;
  /** Smallest loss reduction that justifies a split. */
  minGain?: number;
  /** Share of training rows each round sees. */
  subsample?: number;
  /** Share of features each tree may split on. */
  colsample?: number;
  /** Rounds without a better validation loss before stopping. */
  patience?: number;
  seed?: number;
  /** Weight each class by inverse frequency, in the training loss and the validation loss. */
  balanceClasses?: boolean;
  /** Weight training classes so their mix matches the validation split's; validation loss unweighted. */
  matchValidationPrior?: boolean;
  log?: (line: string) => void;
};

type GbdtReport = {
  model: GbdtModel;
  /** Rounds trained before stopping; the model keeps the first bestRound + 1. */
  rounds: number;
  bestRound: number;
  bestValLoss: number;
};

/**
 * Upper bin edges of one feature: a value v falls in the first bin b with v <= edges[b], else in the last bin.
 * Few distinct values get one bin each (edges halfway between neighbours); many get quantile edges.
 */
export function quantileEdges(values: Float32Array, maxBins: number): Float32Array {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const candidates: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++)
      candidates.push(Math.fround((distinct[i - 1] + distinct[i]) / 2));
  } else {
    for (let k = 1; k < maxBins; k++) candidates.push(sorted[Math.floor((k * n) / maxBins) - 1]);
  }
  // an edge at or above the largest value splits nothing off; repeated edges would make empty bins
  const edges: number[] = [];
  for (const e of candidates) {
    if (e >= sorted[n - 1]) continue;
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return Float32Array.from(edges);
}

function binOf(edges: Float32Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A tree while it grows: the exported fields plus each split's bin, for routing the binned training rows. */
type GrowingTree = GbdtTree & { bin: number[] };

export function trainGbdt(train: GbdtSet, val: GbdtSet, opts: GbdtOptions): GbdtReport {
  const K = opts.classes;
  const n = train.x.length;
  const F = train.x[0].length;
  const nv = val.x.length;
  const maxRounds = opts.rounds ?? 500;
  const lr = opts.learningRate ?? 0.1;
  const maxDepth = opts.maxDepth ?? 6;
  const maxBins = Math.min(256, opts.maxBins ?? 64);
  const lambda = opts.lambda ?? 1;
  const minSamples = Math.max(1, opts.minSamplesLeaf ?? 20);
  const minHessian = opts.minHessianLeaf ?? 1e-3;
  const minGain = opts.minGain ?? 0;
  const subsample = opts.subsample ?? 1;
  const colsample = opts.colsample ?? 1;
  const patience = opts.patience ?? 30;
  const rnd = createRandom(opts.seed ?? 1);

  // feature-major bin matrix: a histogram pass reads one contiguous column
  const edges: Float32Array[] = [];
  const bins = new Uint8Array(F * n);
  const binCount = new Int32Array(F);
  const column = new Float32Array(n);
  for (let f = 0; f < F; f++) {
    for (let i = 0; i < n; i++) column[i] = train.x[i][f];
    const e = quantileEdges(column, maxBins);
    edges.push(e);
    binCount[f] = e.length + 1;
    for (let i = 0; i < n; i++) bins[f * n + i] = binOf(e, column[i]);
  }

  const { train: classWeight, val: valClassWeight } = classWeights(train.y, val.y, K, opts);
  const weight = Float64Array.from(train.y, (y) => classWeight[y]);
  const prior = new Float64Array(K);
  for (let i = 0; i < n; i++) prior[train.y[i]] += weight[i];
  const totalWeight = prior.reduce((a, b) => a + b, 0);
  const baseScore = Array.from(prior, (p) => Math.fround(Math.log(Math.max(1e-6, p / totalWeight))));

  const scores = new Float64Array(n * K);
  const valScores = new Float64Array(nv * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) scores[i * K + k] = baseScore[k];
  for (let i = 0; i < nv; i++) for (let k = 0; k < K; k++) valScores[i * K + k] = baseScore[k];
  const grad = new Float64Array(K * n);
  const hess = new Float64Array(K * n);
  const prob = new Float64Array(K);

  // histograms: per feature maxBins slots of gradient, hessian and count; two per depth (left and right child)
  const stride = F * maxBins;
  const pool = Array.from({ length: maxDepth + 1 }, () => [
    new Float64Array(3 * stride),
    new Float64Array(3 * stride),
  ]);
  const rows = new Int32Array(n);
  const allFeatures = Int32Array.from({ length: F }, (_, f) => f);
  const treeFeatures = Math.max(1, Math.round(F * colsample));

  const fillHistogram = (
    hist: Float64Array,
    start: number,
    end: number,
    feats: Int32Array,
    g: Float64Array,
    h: Float64Array,
  ) => {
    for (const f of feats) {
      const off = f * maxBins;
      hist.fill(0, off, off + maxBins);
      hist.fill(0, stride + off, stride + off + maxBins);
      hist.fill(0, 2 * stride + off, 2 * stride + off + maxBins);
      const col = f * n;
      for (let j = start; j < end; j++) {
        const r = rows[j];
        const b = off + bins[col + r];
        hist[b] += g[r];
        hist[stride + b] += h[r];
        hist[2 * stride + b]++;
      }
    }
  };

  const growTree = (sampled: number, feats: Int32Array, g: Float64Array, h: Float64Array): GrowingTree => {
    const tree: GrowingTree = { feature: [], threshold: [], left: [], right: [], value: [], bin: [] };
    const grow = (
      start: number,
      end: number,
      depth: number,
      hist: Float64Array,
      G: number,
      H: number,
    ): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(Math.fround((-G / (H + lambda)) * lr));
      tree.bin.push(-1);
      const count = end - start;
      if (depth >= maxDepth || count < 2 * minSamples) return id;
      const parentScore = (G * G) / (H + lambda);
      let bestGain = minGain;
      let bestFeature = -1;
      let bestBin = -1;
      let bestGL = 0;
      let bestHL = 0;
      for (const f of feats) {
        const off = f * maxBins;
        let GL = 0;
        let HL = 0;
        let CL = 0;
        for (let b = 0; b < binCount[f] - 1; b++) {
          GL += hist[off + b];
          HL += hist[stride + off + b];
          CL += hist[2 * stride + off + b];
          if (CL < minSamples || HL < minHessian) continue;
          if (count - CL < minSamples) break;
          const HR = H - HL;
          if (HR < minHessian) break;
          const GR = G - GL;
          const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = b;
            bestGL = GL;
            bestHL = HL;
          }
        }
      }
      if (bestFeature < 0) return id;
      // partition rows[start, end) so the rows going left come first
      const col = bestFeature * n;
      let mid = start;
      for (let j = start; j < end; j++) {
        const r = rows[j];
        if (bins[col + r] <= bestBin) {
          rows[j] = rows[mid];
          rows[mid++] = r;
        }
      }
      const [leftHist, rightHist] = pool[depth + 1];
      // histogram of the smaller child by a pass over its rows, the larger one by subtraction from the parent
      const leftSmaller = mid - start <= end - mid;
      if (leftSmaller) fillHistogram(leftHist, start, mid, feats, g, h);
      else fillHistogram(rightHist, mid, end, feats, g, h);
      const [small, large] = leftSmaller ? [leftHist, rightHist] : [rightHist, leftHist];
      for (const f of feats) {
        const off = f * maxBins;
        for (let c = 0; c < 3; c++) {
          const base = c * stride + off;
          for (let b = 0; b < maxBins; b++) large[base + b] = hist[base + b] - small[base + b];
        }
      }
      tree.feature[id] = bestFeature;
      tree.threshold[id] = edges[bestFeature][bestBin];
      tree.bin[id] = bestBin;
      tree.left[id] = grow(start, mid, depth + 1, leftHist, bestGL, bestHL);
      tree.right[id] = grow(mid, end, depth + 1, rightHist, G - bestGL, H - bestHL);
      return id;
    };
    const rootHist = pool[0][0];
    fillHistogram(rootHist, 0, sampled, feats, g, h);
    let G = 0;
    let H = 0;
    for (let j = 0; j < sampled; j++) {
      G += g[rows[j]];
      H += h[rows[j]];
    }
    grow(0, sampled, 0, rootHist, G, H);
    return tree;
  };

  const leafOfBinned = (tree: GrowingTree, r: number): number => {
    let node = 0;
    while (tree.feature[node] >= 0) {
      node = bins[tree.feature[node] * n + r] <= tree.bin[node] ? tree.left[node] : tree.right[node];
    }
    return tree.value[node];
  };

  const valLoss = (): number => {
    let loss = 0;
    let wsum = 0;
    for (let i = 0; i < nv; i++) {
      for (let k = 0; k < K; k++) prob[k] = valScores[i * K + k];
      softmaxInPlace(prob);
      const w = valClassWeight[val.y[i]];
      loss -= w * Math.log(Math.max(1e-15, prob[val.y[i]]));
      wsum += w;
    }
    return loss / Math.max(1e-12, wsum);
  };

  const trees: GbdtTree[][] = [];
  let best = Infinity;
  let bestRound = -1;
  let round = 0;
  for (; round < maxRounds; round++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) prob[k] = scores[i * K + k];
      softmaxInPlace(prob);
      const w = weight[i];
      for (let k = 0; k < K; k++) {
        const p = prob[k];
        grad[k * n + i] = w * (p - (train.y[i] === k ? 1 : 0));
        hess[k * n + i] = Math.max(1e-16, w * p * (1 - p));
      }
    }
    let sampled = 0;
    for (let i = 0; i < n; i++) if (subsample >= 1 || rnd() < subsample) rows[sampled++] = i;
    const roundTrees: GbdtTree[] = [];
    for (let k = 0; k < K; k++) {
      // the first treeFeatures entries of a partial Fisher-Yates shuffle are this tree's features
      for (let i = 0; i < treeFeatures; i++) {
        const j = i + Math.floor(rnd() * (F - i));
        [allFeatures[i], allFeatures[j]] = [allFeatures[j], allFeatures[i]];
      }
      const feats = allFeatures.slice(0, treeFeatures).sort();
      const g = grad.subarray(k * n, (k + 1) * n);
      const h = hess.subarray(k * n, (k + 1) * n);
      // growTree reorders rows; each class starts from the same sampled set in index order
      if (k > 0) rows.subarray(0, sampled).sort();
      const grown = growTree(sampled, feats, g, h);
      for (let i = 0; i < n; i++) scores[i * K + k] += leafOfBinned(grown, i);
      const tree: GbdtTree = {
        feature: grown.feature,
        threshold: grown.threshold,
        left: grown.left,
        right: grown.right,
        value: grown.value,
      };
      for (let i = 0; i < nv; i++) valScores[i * K + k] += evaluateTree(tree, val.x[i]);
      roundTrees.push(tree);
    }
    trees.push(roundTrees);
    const vl = valLoss();
    if (vl < best - 1e-6) {
      best = vl;
      bestRound = round;
    } else if (round - bestRound >= patience) {
      opts.log?.(`early stop at round ${round} (best ${bestRound}, val loss ${best.toFixed(4)})`);
      round++;
      break;
    }
    if (round % 50 === 0) opts.log?.(`round ${round} val loss ${vl.toFixed(4)}`);
  }
  return {
    model: { classes: K, features: F, baseScore, trees: trees.slice(0, bestRound + 1) },
    rounds: round,
    bestRound,
    bestValLoss: best,
  };
}
