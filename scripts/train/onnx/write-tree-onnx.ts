/**
 * Serialises a GbdtModel to an ONNX model: one ai.onnx.ml TreeEnsembleClassifier with a softmax post-transform, so
 * the graph maps `features` [batch, F] to `output` [batch, classes] probabilities like the MLP graphs do.
 */
import type { GbdtModel } from '../gbdt-model';
import { ONNX_INPUT, ONNX_OUTPUT } from '@/lib/ai/onnx/model-io';
import { ATTR_FLOATS, ATTR_INTS, ATTR_STRING, ATTR_STRINGS } from './onnx-schema';
import { encodeModel, OPSET } from './write-onnx';

/** The opsets a graph with a tree ensemble imports (TreeEnsembleClassifier is ai.onnx.ml version 3). */
export const TREE_OPSETS = [
  { domain: '', version: OPSET },
  { domain: 'ai.onnx.ml', version: 3 },
];

const text = new TextEncoder();

/**
 * The TreeEnsembleClassifier node computing `model`'s class probabilities from the tensor `input` into `output`;
 * its label output (the argmax, which callers take themselves) is named `${prefix}label` and left unused.
 */
export function treeEnsembleNode(model: GbdtModel, input: string, output: string, prefix = ''): object {
  const nodeTree: number[] = [];
  const nodeId: number[] = [];
  const nodeFeature: number[] = [];
  const nodeValue: number[] = [];
  const nodeMode: Uint8Array[] = [];
  const nodeTrue: number[] = [];
  const nodeFalse: number[] = [];
  const leafTree: number[] = [];
  const leafNode: number[] = [];
  const leafClass: number[] = [];
  const leafWeight: number[] = [];
  const branch = text.encode('BRANCH_LEQ');
  const leaf = text.encode('LEAF');
  model.trees.forEach((round, r) => {
    round.forEach((tree, k) => {
      const treeId = r * model.classes + k;
      for (let i = 0; i < tree.feature.length; i++) {
        const isLeaf = tree.feature[i] < 0;
        nodeTree.push(treeId);
        nodeId.push(i);
        nodeFeature.push(isLeaf ? 0 : tree.feature[i]);
        nodeValue.push(isLeaf ? 0 : tree.threshold[i]);
        nodeMode.push(isLeaf ? leaf : branch);
        nodeTrue.push(isLeaf ? 0 : tree.left[i]);
        nodeFalse.push(isLeaf ? 0 : tree.right[i]);
        if (isLeaf) {
          leafTree.push(treeId);
          leafNode.push(i);
          leafClass.push(k);
          leafWeight.push(tree.value[i]);
        }
      }
    });
  });
  const ints = (name: string, values: number[]) => ({ name, type: ATTR_INTS, ints: values });
  const floats = (name: string, values: number[]) => ({ name, type: ATTR_FLOATS, floats: values });
  return {
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    name: `${prefix}trees`,
    input: [input],
    output: [`${prefix}label`, output],
    attribute: [
      ints(
        'classlabels_int64s',
        Array.from({ length: model.classes }, (_, k) => k),
      ),
      floats('base_values', model.baseScore),
      ints('nodes_treeids', nodeTree),
      ints('nodes_nodeids', nodeId),
      ints('nodes_featureids', nodeFeature),
      floats('nodes_values', nodeValue),
      { name: 'nodes_modes', type: ATTR_STRINGS, strings: nodeMode },
      ints('nodes_truenodeids', nodeTrue),
      ints('nodes_falsenodeids', nodeFalse),
      ints('class_treeids', leafTree),
      ints('class_nodeids', leafNode),
      ints('class_ids', leafClass),
      floats('class_weights', leafWeight),
      { name: 'post_transform', type: ATTR_STRING, s: text.encode('SOFTMAX') },
    ],
  };
}

/** Builds the ONNX bytes of `model`; `metadata` lands in ModelProto.metadata_props (feature names, classes...). */
export function writeTreeOnnx(
  model: GbdtModel,
  metadata: Record<string, string> = {},
  graphName = 'gbdt',
): Uint8Array {
  const node = treeEnsembleNode(model, ONNX_INPUT, ONNX_OUTPUT);
  const parts = { node: [node], initializer: [], inputs: model.features, outputs: model.classes, graphName };
  return encodeModel(parts, metadata, TREE_OPSETS);
}
