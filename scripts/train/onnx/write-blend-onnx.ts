/**
 * Serialises an MLP (softmax head) and a tree ensemble over the same features as one ONNX graph whose `output` is the
 * weighted mean of their class probabilities: (1 - treeWeight) * mlp + treeWeight * trees, one session, one run.
 */
import type { GbdtModel } from '../gbdt-model';
import type { Mlp } from '../mlp-model';
import { ONNX_INPUT, ONNX_OUTPUT } from '@/lib/ai/onnx/model-io';
import { TREE_OPSETS, treeEnsembleNode } from './write-tree-onnx';
import { encodeModel, mlpGraphParts, tensor } from './write-onnx';

/** Builds the ONNX bytes of the blend; `metadata` lands in ModelProto.metadata_props. */
export function writeBlendOnnx(
  mlp: Mlp,
  trees: GbdtModel,
  treeWeight: number,
  metadata: Record<string, string> = {},
  graphName = 'mlp_gbdt_blend',
): Uint8Array {
  const inputs = mlp.layers[0].inputs;
  const outputs = mlp.layers[mlp.layers.length - 1].outputs;
  if (mlp.head !== 'softmax') throw new Error('only a softmax MLP gives probabilities to blend');
  if (trees.features !== inputs || trees.classes !== outputs)
    throw new Error(
      `the MLP (${inputs} -> ${outputs}) and the trees (${trees.features} -> ${trees.classes}) differ`,
    );
  if (!(treeWeight >= 0 && treeWeight <= 1))
    throw new RangeError(`tree weight ${treeWeight} is not in [0, 1]`);
  const mlpParts = mlpGraphParts(mlp, ONNX_INPUT, 'mlp_proba', 'mlp_');
  const node = [
    ...mlpParts.node,
    treeEnsembleNode(trees, ONNX_INPUT, 'tree_proba', 'tree_'),
    { opType: 'Mul', input: ['mlp_proba', 'mlp_weight'], output: ['mlp_part'], name: 'blend_mlp' },
    { opType: 'Mul', input: ['tree_proba', 'tree_weight'], output: ['tree_part'], name: 'blend_trees' },
    { opType: 'Add', input: ['mlp_part', 'tree_part'], output: [ONNX_OUTPUT], name: 'blend_sum' },
  ];
  const initializer = [
    ...mlpParts.initializer,
    tensor('mlp_weight', [1], Float32Array.of(1 - treeWeight)),
    tensor('tree_weight', [1], Float32Array.of(treeWeight)),
  ];
  return encodeModel({ node, initializer, inputs, outputs, graphName }, metadata, TREE_OPSETS);
}
