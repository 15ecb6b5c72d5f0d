/**
 * `npx tsx scripts/train/compare-classifiers.ts`: an experiment, not part of training. On the cached classifier
 * feature rows it trains gradient-boosted trees with a few settings (and the best one over a few seeds), averages the
 * chosen trees with the shipped MLP ensemble, and prints validation and test accuracy of each. Every choice
 * (setting, seeds, blend weight) is made on the validation split only; test numbers are reported, never used. The
 * chosen trees are exported to ONNX and checked through onnxruntime against the TypeScript predictions.
 *
 * Options: --features <json> (default data/ai/classifier-features-v1-f44.json), --mlp <onnx> (default
 * models/classifier.onnx), --out <onnx> (default data/ai/classifier-gbdt.onnx).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURE_COUNT, FEATURE_NAMES } from '@/lib/ai/features';
import { predictProba, type GbdtModel } from '@/lib/ai/gbdt';
import { loadModel } from '@/lib/ai/onnx/model-session';
import { writeTreeOnnx } from '@/lib/ai/onnx/write-tree-onnx';
import { IMAGE_TYPES } from '@/lib/ai/param-encoding';
import { trainGbdt, type GbdtOptions } from './gbdt';
import { mergeGbdts } from './gbdt-ensemble';

type Row = { id: string; split: 'train' | 'val' | 'test'; label: number; aug: string; x: number[] };
type Split = { x: Float32Array[]; y: number[] };
type Scores = { logLoss: number; accuracy: number };

const SEED = 20251127;
const K = IMAGE_TYPES.length;

/** The settings tried; shared options below. Chosen by validation log loss, then accuracy. */
const SETTINGS: { name: string; opts: Partial<GbdtOptions> }[] = [
  { name: 'd4 lr.1', opts: { maxDepth: 4, learningRate: 0.1, minSamplesLeaf: 20, lambda: 1 } },
  { name: 'd6 lr.05', opts: { maxDepth: 6, learningRate: 0.05, minSamplesLeaf: 20, lambda: 1 } },
  {
    name: 'd6 lr.05 col.5 l5',
    opts: { maxDepth: 6, learningRate: 0.05, minSamplesLeaf: 10, lambda: 5, colsample: 0.5 },
  },
  {
    name: 'd8 lr.05 col.5 l5',
    opts: { maxDepth: 8, learningRate: 0.05, minSamplesLeaf: 20, lambda: 5, colsample: 0.5 },
  },
];
const SHARED: GbdtOptions = {
  classes: K,
  rounds: 2000,
  patience: 60,
  subsample: 0.8,
  colsample: 0.8,
  maxBins: 64,
  balanceClasses: true,
  seed: SEED,
};
const BLEND_WEIGHTS = [0.25, 0.5, 0.75];
/** Seeds averaged in the bagged variant of the best single setting. */
const BAG = 3;

function score(probs: ArrayLike<number>[], y: number[]): Scores {
  let loss = 0;
  let correct = 0;
  probs.forEach((p, i) => {
    loss -= Math.log(Math.max(1e-15, p[y[i]]));
    if (argmax(p) === y[i]) correct++;
  });
  return { logLoss: loss / y.length, accuracy: correct / y.length };
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

function recallPerClass(probs: ArrayLike<number>[], y: number[]): string {
  return IMAGE_TYPES.map((t, k) => {
    const idx = y.flatMap((v, i) => (v === k ? [i] : []));
    const hit = idx.filter((i) => argmax(probs[i]) === k).length;
    return `${t} ${(hit / idx.length).toFixed(3)} (n=${idx.length})`;
  }).join(', ');
}

function blend(a: ArrayLike<number>[], b: ArrayLike<number>[], weightOfB: number): Float32Array[] {
  return a.map((p, i) => Float32Array.from(p, (v, k) => (1 - weightOfB) * v + weightOfB * b[i][k]));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

async function main() {
  const { values } = parseArgs({
    options: {
      features: {
        type: 'string',
        default: path.join('data', 'ai', `classifier-features-v1-f${FEATURE_COUNT}.json`),
      },
      mlp: { type: 'string', default: path.join('models', 'classifier.onnx') },
      out: { type: 'string', default: path.join('data', 'ai', 'classifier-gbdt.onnx') },
    },
  });
  // every row as train:classifier uses them (a source sampled twice appears twice), so numbers compare
  const rows = JSON.parse(await readFile(values.features, 'utf8')) as Row[];
  const pick = (split: Row['split']): Split => {
    const r = rows.filter((row) => row.split === split);
    return { x: r.map((row) => Float32Array.from(row.x)), y: r.map((row) => row.label) };
  };
  const train = pick('train');
  const val = pick('val');
  const test = pick('test');
  console.log(
    `rows: train ${train.x.length}, val ${val.x.length}, test ${test.x.length} (${values.features})`,
  );

  type Variant = {
    name: string;
    val: Scores;
    test: Scores;
    valProbs: Float32Array[];
    testProbs: Float32Array[];
  };
  const variants: Variant[] = [];
  const treeVariant = (name: string, model: GbdtModel, seconds: number, note: string) => {
    const valProbs = val.x.map((r) => predictProba(model, r));
    const testProbs = test.x.map((r) => predictProba(model, r));
    const nodes = model.trees.flat().reduce((s, t) => s + t.feature.length, 0);
    const v = { name, val: score(valProbs, val.y), test: score(testProbs, test.y), valProbs, testProbs };
    console.log(
      `${name}: ${note} in ${seconds.toFixed(1)} s, ${nodes} nodes; ` +
        `val loss ${v.val.logLoss.toFixed(4)} acc ${v.val.accuracy.toFixed(4)}`,
    );
    variants.push(v);
    return { variant: v, model, seconds };
  };
  const byValidation = (a: { val: Scores }, b: { val: Scores }) =>
    a.val.logLoss - b.val.logLoss || b.val.accuracy - a.val.accuracy;
  const singles = SETTINGS.map((setting) => {
    const t0 = performance.now();
    const report = trainGbdt(train, val, { ...SHARED, ...setting.opts });
    const note = `${report.bestRound + 1} rounds kept of ${report.rounds}`;
    return treeVariant(`gbdt ${setting.name}`, report.model, (performance.now() - t0) / 1000, note);
  });
  const bestSingle = singles.slice().sort((a, b) => byValidation(a.variant, b.variant))[0];
  // the best setting again with other seeds, scores averaged: less variance, as for the MLP members
  const setting = SETTINGS[singles.indexOf(bestSingle)];
  const t0 = performance.now();
  const others = Array.from(
    { length: BAG - 1 },
    (_, i) => trainGbdt(train, val, { ...SHARED, ...setting.opts, seed: SEED + 1 + i }).model,
  );
  const bag = treeVariant(
    `gbdt ${setting.name} x${BAG} seeds`,
    mergeGbdts([bestSingle.model, ...others]),
    bestSingle.seconds + (performance.now() - t0) / 1000,
    `${BAG} members`,
  );
  const chosen = byValidation(bag.variant, bestSingle.variant) < 0 ? bag : bestSingle;

  const mlp = await loadModel('classifier', values.mlp, FEATURE_COUNT, K);
  const mlpVal = await mlp.run(val.x);
  const mlpTest = await mlp.run(test.x);
  variants.push({
    name: 'mlp ensemble (shipped)',
    val: score(mlpVal, val.y),
    test: score(mlpTest, test.y),
    valProbs: mlpVal,
    testProbs: mlpTest,
  });
  const blends = BLEND_WEIGHTS.map((w) => {
    const valProbs = blend(mlpVal, chosen.variant.valProbs, w);
    const testProbs = blend(mlpTest, chosen.variant.testProbs, w);
    return {
      name: `${1 - w} mlp + ${w} ${chosen.variant.name}`,
      val: score(valProbs, val.y),
      test: score(testProbs, test.y),
      valProbs,
      testProbs,
    };
  });
  variants.push(...blends);

  const best = variants.slice().sort(byValidation)[0];
  console.log('\nvariant                                   val loss  val acc  test acc');
  for (const v of variants) {
    const mark = v === best ? ' <- best by validation' : v === chosen.variant ? ' <- chosen gbdt' : '';
    console.log(
      `${v.name.padEnd(40)} ${v.val.logLoss.toFixed(4).padStart(8)} ${v.val.accuracy.toFixed(4).padStart(8)} ${v.test.accuracy.toFixed(4).padStart(9)}${mark}`,
    );
  }
  console.log(`\nbest by validation: ${best.name}`);
  console.log(`  test recall: ${recallPerClass(best.testProbs, test.y)}`);
  // paired view of the test split: small accuracy gaps are a handful of rows either way
  const mlpVariant = variants.find((v) => v.name.startsWith('mlp'))!;
  for (const v of [chosen.variant, best]) {
    if (v === mlpVariant) continue;
    let onlyThis = 0;
    let onlyMlp = 0;
    test.y.forEach((y, i) => {
      const a = argmax(v.testProbs[i]) === y;
      const b = argmax(mlpVariant.testProbs[i]) === y;
      if (a && !b) onlyThis++;
      if (b && !a) onlyMlp++;
    });
    console.log(`test rows right only by ${v.name}: ${onlyThis}; right only by the MLP ensemble: ${onlyMlp}`);
  }
  console.log(`chosen gbdt: ${chosen.variant.name}`);
  console.log(`  test recall: ${recallPerClass(chosen.variant.testProbs, test.y)}`);
  console.log(`  train time ${chosen.seconds.toFixed(1)} s, ${chosen.model.trees.length} rounds`);

  const bytes = writeTreeOnnx(chosen.model, {
    classes: IMAGE_TYPES.join(','),
    features: FEATURE_NAMES.join(','),
    seed: String(SEED),
  });
  await writeFile(values.out, bytes);
  const onnx = await loadModel('classifier-gbdt', values.out, FEATURE_COUNT, K);
  const onnxTest = await onnx.run(test.x);
  let maxDiff = 0;
  onnxTest.forEach((p, i) => {
    for (let k = 0; k < K; k++) maxDiff = Math.max(maxDiff, Math.abs(p[k] - chosen.variant.testProbs[i][k]));
  });
  const latency: number[] = [];
  for (let i = 0; i < 520; i++) {
    const t = performance.now();
    await onnx.run([test.x[i % test.x.length]]);
    if (i >= 20) latency.push(performance.now() - t);
  }
  latency.sort((a, b) => a - b);
  const mlpLatency: number[] = [];
  for (let i = 0; i < 520; i++) {
    const t = performance.now();
    await mlp.run([test.x[i % test.x.length]]);
    if (i >= 20) mlpLatency.push(performance.now() - t);
  }
  mlpLatency.sort((a, b) => a - b);
  console.log(
    `  onnx ${values.out}: ${bytes.length} bytes; max |onnxruntime - TypeScript| probability ${maxDiff.toExponential(2)}; ` +
      `one-row inference p50 ${percentile(latency, 0.5).toFixed(3)} ms, p95 ${percentile(latency, 0.95).toFixed(3)} ms ` +
      `(mlp p50 ${percentile(mlpLatency, 0.5).toFixed(3)} ms)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
