/** Softmax over a score vector, in place and numerically stable (the largest score is subtracted first). */
export function softmaxInPlace<T extends Float32Array | Float64Array>(scores: T): T {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += scores[k] = Math.exp(scores[k] - max);
  for (let k = 0; k < scores.length; k++) scores[k] /= sum;
  return scores;
}
