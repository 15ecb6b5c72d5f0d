/** Merges MLPs trained on the same data into one wider MLP that averages their logits (one ONNX graph, one run). */
import type { DenseLayer, Mlp } from './mlp-model';

/**
 * Hidden layers are placed side by side (block-diagonal weights), the output layer sums each member's logits
 * divided by the member count. Members must share input standardisation and layer count (same training set).
 */
export function mergeEnsemble(members: Mlp[]): Mlp {
  const first = members[0];
  const depth = first.layers.length;
  for (const m of members) {
    if (m.layers.length !== depth) throw new Error('ensemble members differ in depth');
    if (m.mean.some((v, i) => v !== first.mean[i]) || m.std.some((v, i) => v !== first.std[i])) {
      throw new Error('ensemble members differ in input standardisation');
    }
  }
  const k = members.length;
  const layers: DenseLayer[] = [];
  for (let l = 0; l < depth; l++) {
    const last = l === depth - 1;
    const ins = l === 0 ? first.layers[0].inputs : members.reduce((s, m) => s + m.layers[l].inputs, 0);
    const outs = last ? first.layers[l].outputs : members.reduce((s, m) => s + m.layers[l].outputs, 0);
    const weights = new Float32Array(ins * outs);
    const bias = new Float32Array(outs);
    let rowOff = 0;
    let colOff = 0;
    for (const m of members) {
      const layer = m.layers[l];
      for (let i = 0; i < layer.inputs; i++) {
        const row = (l === 0 ? i : rowOff + i) * outs;
        for (let o = 0; o < layer.outputs; o++) {
          weights[row + (last ? o : colOff + o)] += last
            ? layer.weights[i * layer.outputs + o] / k
            : layer.weights[i * layer.outputs + o];
        }
      }
      for (let o = 0; o < layer.outputs; o++)
        bias[last ? o : colOff + o] += last ? layer.bias[o] / k : layer.bias[o];
      rowOff += layer.inputs;
      colOff += layer.outputs;
    }
    layers.push({ inputs: ins, outputs: outs, weights, bias });
  }
  return { mean: first.mean, std: first.std, layers, head: first.head };
}
