/**
 * Never executed: the worker bundle loads these packages at run time, but Next's output file tracing only
 * follows imports of server code. Referencing them here makes `next build` copy them (with their own
 * dependencies and native binaries) into the standalone output next to the worker bundle.
 */
export function traceWorkerDependencies(): Promise<unknown>[] {
  return [import('sharp'), import('svgo/browser'), import('@resvg/resvg-js'), import('onnxruntime-node')];
}
