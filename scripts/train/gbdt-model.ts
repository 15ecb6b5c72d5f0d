/** A multiclass gradient-boosted tree ensemble (softmax over per-class tree sums) with its TypeScript forward pass. */
import { softmaxInPlace } from './softmax';

/**
 * One regression tree as flat arrays indexed by node id; node 0 is the root. An inner node sends a row left when
 * `x[feature] <= threshold` (the ONNX BRANCH_LEQ rule), a leaf has feature -1 and adds `value` to its class score.
 * Thresholds and values are float32-representable, so the ONNX export holds exactly the same numbers.
 */
export type GbdtTree = {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
};

export type GbdtModel = {
  classes: number;
  features: number;
  /** Initial score per class (log prior), added before any tree. */
  baseScore: number[];
  /** trees[round][class]: one tree per class per boosting round. */
  trees: GbdtTree[][];
};

/** The leaf value `tree` gives the row `x`. */
export function evaluateTree(tree: GbdtTree, x: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = x[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

/** Raw per-class scores (logits) of one row. */
function predictScores(model: GbdtModel, x: ArrayLike<number>): Float64Array {
  const scores = Float64Array.from(model.baseScore);
  for (const round of model.trees) {
    for (let k = 0; k < model.classes; k++) scores[k] += evaluateTree(round[k], x);
  }
  return scores;
}

/** Class probabilities of one row, as the exported ONNX graph computes them. */
export function predictProba(model: GbdtModel, x: ArrayLike<number>): Float32Array {
  return Float32Array.from(softmaxInPlace(predictScores(model, x)));
}
