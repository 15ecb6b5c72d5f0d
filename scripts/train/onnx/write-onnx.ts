/** Serialises an Mlp to an ONNX model (Sub/Div standardisation, Gemm/Relu layers, Softmax head) with protobufjs. */
import protobuf from 'protobufjs';
import type { Mlp } from '../mlp-model';
import { ONNX_INPUT, ONNX_OUTPUT } from '@/lib/ai/onnx/model-io';
import { ATTR_FLOAT, ATTR_INT, ONNX_FLOAT, ONNX_SCHEMA } from './onnx-schema';

/** Default-domain opset the writers target. */
export const OPSET = 13;
const IR_VERSION = 8;

/** A float32 initializer. */
export function tensor(name: string, dims: number[], values: Float32Array) {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  // ONNX raw_data is little-endian regardless of the host
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, dataType: ONNX_FLOAT, rawData: bytes };
}

function valueInfo(name: string, width: number) {
  return {
    name,
    type: {
      tensorType: { elemType: ONNX_FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } },
    },
  };
}

type GraphParts = { node: object[]; initializer: object[] };

/**
 * Nodes and initializers computing `model` from the tensor `input` into the tensor `output`. Every other name starts
 * with `prefix`, so the parts of several models can share one graph.
 */
export function mlpGraphParts(model: Mlp, input: string, output: string, prefix = ''): GraphParts {
  const outputs = model.layers[model.layers.length - 1].outputs;
  const p = (name: string) => `${prefix}${name}`;
  const initializer = [
    tensor(p('mean'), [model.layers[0].inputs], model.mean),
    tensor(p('std'), [model.layers[0].inputs], model.std),
  ];
  const node: object[] = [
    { opType: 'Sub', input: [input, p('mean')], output: [p('centred')], name: p('standardise_sub') },
    { opType: 'Div', input: [p('centred'), p('std')], output: [p('h0')], name: p('standardise_div') },
  ];
  let current = p('h0');
  model.layers.forEach((layer, i) => {
    initializer.push(tensor(p(`W${i}`), [layer.inputs, layer.outputs], layer.weights));
    initializer.push(tensor(p(`b${i}`), [layer.outputs], layer.bias));
    const last = i === model.layers.length - 1;
    const gemmOut = p(`z${i}`);
    node.push({
      opType: 'Gemm',
      input: [current, p(`W${i}`), p(`b${i}`)],
      output: [gemmOut],
      name: p(`dense${i}`),
      attribute: [
        { name: 'alpha', type: ATTR_FLOAT, f: 1 },
        { name: 'beta', type: ATTR_FLOAT, f: 1 },
        { name: 'transB', type: ATTR_INT, i: 0 },
      ],
    });
    current = gemmOut;
    if (!last) {
      node.push({ opType: 'Relu', input: [gemmOut], output: [p(`h${i + 1}`)], name: p(`relu${i}`) });
      current = p(`h${i + 1}`);
    }
  });
  if (model.head === 'softmax') {
    node.push({
      opType: 'Softmax',
      input: [current],
      output: [output],
      name: p('softmax'),
      attribute: [{ name: 'axis', type: ATTR_INT, i: -1 }],
    });
  } else {
    const scale = model.outScale ?? new Float32Array(outputs).fill(1);
    const offset = model.outOffset ?? new Float32Array(outputs);
    initializer.push(tensor(p('out_scale'), [outputs], scale), tensor(p('out_offset'), [outputs], offset));
    node.push({
      opType: 'Mul',
      input: [current, p('out_scale')],
      output: [p('scaled')],
      name: p('denormalise_mul'),
    });
    node.push({
      opType: 'Add',
      input: [p('scaled'), p('out_offset')],
      output: [output],
      name: p('denormalise_add'),
    });
  }
  return { node, initializer };
}

/** Encodes a graph from `features` [batch, inputs] to `output` [batch, outputs] as ONNX ModelProto bytes. */
export function encodeModel(
  parts: GraphParts & { inputs: number; outputs: number; graphName: string },
  metadata: Record<string, string>,
  opsets: { domain: string; version: number }[] = [{ domain: '', version: OPSET }],
): Uint8Array {
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);
  const ModelProto = root.lookupType('onnx.ModelProto');
  const message = ModelProto.fromObject({
    irVersion: IR_VERSION,
    producerName: 'ai-svg-converter',
    producerVersion: '1',
    modelVersion: 1,
    opsetImport: opsets,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: parts.graphName,
      node: parts.node,
      initializer: parts.initializer,
      input: [valueInfo(ONNX_INPUT, parts.inputs)],
      output: [valueInfo(ONNX_OUTPUT, parts.outputs)],
    },
  });
  return ModelProto.encode(message).finish();
}

/** Builds the ONNX bytes of `model`; `metadata` lands in ModelProto.metadata_props (feature names, classes...). */
export function writeOnnx(model: Mlp, metadata: Record<string, string> = {}, graphName = 'mlp'): Uint8Array {
  const parts = mlpGraphParts(model, ONNX_INPUT, ONNX_OUTPUT);
  const inputs = model.layers[0].inputs;
  const outputs = model.layers[model.layers.length - 1].outputs;
  return encodeModel({ ...parts, inputs, outputs, graphName }, metadata);
}
