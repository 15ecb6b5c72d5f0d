/** Serialises an Mlp to an ONNX model (Sub/Div standardisation, Gemm/Relu layers, Softmax head) with protobufjs. */
import protobuf from 'protobufjs';
import type { Mlp } from '../mlp';
import { ONNX_INPUT, ONNX_OUTPUT } from './model-io';
import { ATTR_FLOAT, ATTR_INT, ONNX_FLOAT, ONNX_SCHEMA } from './onnx-schema';

const OPSET = 13;
const IR_VERSION = 8;

function tensor(name: string, dims: number[], values: Float32Array) {
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

/** Builds the ONNX bytes of `model`; `metadata` lands in ModelProto.metadata_props (feature names, classes...). */
export function writeOnnx(model: Mlp, metadata: Record<string, string> = {}, graphName = 'mlp'): Uint8Array {
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);
  const ModelProto = root.lookupType('onnx.ModelProto');
  const inputs = model.layers[0].inputs;
  const outputs = model.layers[model.layers.length - 1].outputs;
  const initializer = [tensor('mean', [inputs], model.mean), tensor('std', [inputs], model.std)];
  const node: object[] = [
    { opType: 'Sub', input: [ONNX_INPUT, 'mean'], output: ['centred'], name: 'standardise_sub' },
    { opType: 'Div', input: ['centred', 'std'], output: ['h0'], name: 'standardise_div' },
  ];
  let current = 'h0';
  model.layers.forEach((layer, i) => {
    initializer.push(tensor(`W${i}`, [layer.inputs, layer.outputs], layer.weights));
    initializer.push(tensor(`b${i}`, [layer.outputs], layer.bias));
    const last = i === model.layers.length - 1;
    const gemmOut = `z${i}`;
    node.push({
      opType: 'Gemm',
      input: [current, `W${i}`, `b${i}`],
      output: [gemmOut],
      name: `dense${i}`,
      attribute: [
        { name: 'alpha', type: ATTR_FLOAT, f: 1 },
        { name: 'beta', type: ATTR_FLOAT, f: 1 },
        { name: 'transB', type: ATTR_INT, i: 0 },
      ],
    });
    current = gemmOut;
    if (!last) {
      node.push({ opType: 'Relu', input: [gemmOut], output: [`h${i + 1}`], name: `relu${i}` });
      current = `h${i + 1}`;
    }
  });
  if (model.head === 'softmax') {
    node.push({
      opType: 'Softmax',
      input: [current],
      output: [ONNX_OUTPUT],
      name: 'softmax',
      attribute: [{ name: 'axis', type: ATTR_INT, i: -1 }],
    });
  } else {
    const scale = model.outScale ?? new Float32Array(outputs).fill(1);
    const offset = model.outOffset ?? new Float32Array(outputs);
    initializer.push(tensor('out_scale', [outputs], scale), tensor('out_offset', [outputs], offset));
    node.push({ opType: 'Mul', input: [current, 'out_scale'], output: ['scaled'], name: 'denormalise_mul' });
    node.push({
      opType: 'Add',
      input: ['scaled', 'out_offset'],
      output: [ONNX_OUTPUT],
      name: 'denormalise_add',
    });
  }
  const message = ModelProto.fromObject({
    irVersion: IR_VERSION,
    producerName: 'ai-svg-converter',
    producerVersion: '1',
    modelVersion: 1,
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: graphName,
      node,
      initializer,
      input: [valueInfo(ONNX_INPUT, inputs)],
      output: [valueInfo(ONNX_OUTPUT, outputs)],
    },
  });
  return ModelProto.encode(message).finish();
}
