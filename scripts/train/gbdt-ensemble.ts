/** Merges tree ensembles trained on the same data (different seeds) into one that averages their class scores. */
import type { GbdtModel } from '@/lib/ai/gbdt';

/**
 * The merged model holds every member's trees with leaf values divided by the member count, and the mean base score,
 * so its scores are the members' mean scores: one TreeEnsembleClassifier in ONNX, one run.
 */
export function mergeGbdts(members: GbdtModel[]): GbdtModel {
  const first = members[0];
  for (const m of members) {
    if (m.classes !== first.classes || m.features !== first.features)
      throw new Error('ensemble members differ in classes or features');
  }
  const k = members.length;
  return {
    classes: first.classes,
    features: first.features,
    baseScore: first.baseScore.map((_, c) =>
      Math.fround(members.reduce((s, m) => s + m.baseScore[c], 0) / k),
    ),
    trees: members.flatMap((m) =>
      m.trees.map((round) =>
        round.map((tree) => ({ ...tree, value: tree.value.map((v) => Math.fround(v / k)) })),
      ),
    ),
  };
}
