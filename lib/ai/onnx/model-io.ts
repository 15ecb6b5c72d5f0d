/** Names of the input and output tensors shared by the ONNX writer and the runtime loader. */
export const ONNX_INPUT = 'features';
export const ONNX_OUTPUT = 'output';
