/** Per-class loss weights shared by the classifier trainers (MLP and gradient-boosted trees). */

/**
 * Per-class loss weights for the training and validation sets: all 1, inverse frequency (balanceClasses, both
 * sets) or the validation mix over the training mix (matchValidationPrior, training set only).
 */
export function classWeights(
  trainY: readonly number[],
  valY: readonly number[],
  classes: number,
  opts: { balanceClasses?: boolean; matchValidationPrior?: boolean },
): { train: Float64Array; val: Float64Array } {
  const share = (ys: readonly number[]) => {
    const s = new Float64Array(classes);
    for (const y of ys) s[y] += 1 / ys.length;
    return s;
  };
  const trainShare = share(trainY);
  if (opts.matchValidationPrior) {
    const valShare = share(valY);
    return {
      train: Float64Array.from(trainShare, (t, c) => (t > 0 ? valShare[c] / t : 0)),
      val: new Float64Array(classes).fill(1),
    };
  }
  if (opts.balanceClasses) {
    const w = Float64Array.from(trainShare, (t) => (t > 0 ? 1 / (classes * t) : 0));
    return { train: w, val: w };
  }
  return { train: new Float64Array(classes).fill(1), val: new Float64Array(classes).fill(1) };
}
