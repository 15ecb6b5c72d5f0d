/** A small multilayer perceptron (dense + ReLU, softmax or linear head) with its TypeScript forward pass. */
import { softmaxInPlace } from './softmax';

export type DenseLayer = {
  inputs: number;
  outputs: number;
  /** Row-major [inputs][outputs]. */
  weights: Float32Array;
  bias: Float32Array;
};

export type Mlp = {
  /** Standardisation applied to the raw input: (x - mean) / std. */
  mean: Float32Array;
  std: Float32Array;
  layers: DenseLayer[];
  /** 'softmax' for class probabilities; 'linear' for regression outputs, then scaled: y * outScale + outOffset. */
  head: 'softmax' | 'linear';
  outScale?: Float32Array;
  outOffset?: Float32Array;
};

/** Runs the MLP on one input vector exactly as the exported ONNX graph does (float32 throughout). */
export function forwardMlp(model: Mlp, input: ArrayLike<number>): Float32Array {
  let x = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) x[i] = (input[i] - model.mean[i]) / model.std[i];
  model.layers.forEach((layer, li) => {
    const y = new Float32Array(layer.outputs);
    for (let o = 0; o < layer.outputs; o++) y[o] = layer.bias[o];
    for (let i = 0; i < layer.inputs; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * layer.outputs;
      for (let o = 0; o < layer.outputs; o++) y[o] += xi * layer.weights[row + o];
    }
    if (li < model.layers.length - 1) for (let o = 0; o < y.length; o++) if (y[o] < 0) y[o] = 0;
    x = y;
  });
  if (model.head === 'softmax') softmaxInPlace(x);
  else if (model.outScale && model.outOffset) {
    for (let i = 0; i < x.length; i++) x[i] = x[i] * model.outScale[i] + model.outOffset[i];
  }
  return x;
}
