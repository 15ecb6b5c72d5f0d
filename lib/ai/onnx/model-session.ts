/**
 * Loads ONNX models once per process (sessions live on globalThis, so Next.js hot reload reuses them) and
 * records whether they loaded, for the readiness check. A missing or corrupt file is a ModelLoadError naming it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ONNX_INPUT, ONNX_OUTPUT } from './model-io';

export class ModelLoadError extends Error {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot load model ${file}: ${reason}`, options);
    this.name = 'ModelLoadError';
    this.file = file;
  }
}

export type LoadedModel = {
  file: string;
  /** SHA-256 of the file's bytes (hex, first 16): names this exact model, e.g. in result cache keys. */
  digest: string;
  inputs: number;
  outputs: number;
  /** Runs a batch of input rows; returns one output row per input. */
  run(rows: Float32Array[]): Promise<Float32Array[]>;
};

type Entry = { file: string; promise: Promise<LoadedModel>; model?: LoadedModel; error?: string };
const KEY = Symbol.for('svgai.onnx-models');
type Holder = { [KEY]?: Map<string, Entry> };

function registry(): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

async function createModel(file: string, inputs: number, outputs: number): Promise<LoadedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(
      file,
      code === 'ENOENT' ? 'file not found (run the training script)' : String(err),
      {
        cause: err,
      },
    );
  }
  let session: ort.InferenceSession;
  try {
    // one thread: these models are tiny, and the worker pool already uses every core
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new ModelLoadError(file, `not a valid ONNX model (${(err as Error).message.split('\n')[0]})`, {
      cause: err,
    });
  }
  const run = async (rows: Float32Array[]): Promise<Float32Array[]> => {
    const batch = new Float32Array(rows.length * inputs);
    rows.forEach((r, i) => {
      if (r.length !== inputs)
        throw new RangeError(`model ${file} expects ${inputs} inputs, got ${r.length}`);
      batch.set(r, i * inputs);
    });
    const result = await session.run({
      [ONNX_INPUT]: new ort.Tensor('float32', batch, [rows.length, inputs]),
    });
    const data = result[ONNX_OUTPUT].data as Float32Array;
    return rows.map((_, i) => data.slice(i * outputs, (i + 1) * outputs));
  };
  // a warm-up run proves the graph has the input and output widths this code was written for
  try {
    const [out] = await run([new Float32Array(inputs)]);
    if (out.length !== outputs || !out.every(Number.isFinite))
      throw new Error(`unexpected output width ${out.length}`);
  } catch (err) {
    throw new ModelLoadError(file, `model does not fit (${(err as Error).message.split('\n')[0]})`, {
      cause: err,
    });
  }
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return { file, digest, inputs, outputs, run };
}

/** Returns the model at `file` (loaded once and cached per process); rejects with ModelLoadError. */
export function loadModel(name: string, file: string, inputs: number, outputs: number): Promise<LoadedModel> {
  const reg = registry();
  const existing = reg.get(name);
  if (existing && existing.file === file) return existing.promise;
  const entry: Entry = { file, promise: createModel(path.resolve(file), inputs, outputs) };
  entry.promise.then(
    (m) => {
      entry.model = m;
    },
    (err: Error) => {
      entry.error = err.message;
    },
  );
  reg.set(name, entry);
  return entry.promise;
}

export type ModelStatus = {
  loaded: boolean;
  error?: string;
  /** Per model: its file, whether it loaded, its digest (which exact model answers), or the load error. */
  models: Record<string, { file: string; loaded: boolean; digest?: string; error?: string }>;
};

/** Readiness view of the models: loaded only when every requested model loaded without error. */
export function getModelStatus(required: readonly string[] = []): ModelStatus {
  const reg = registry();
  const models: ModelStatus['models'] = {};
  const errors: string[] = [];
  for (const [name, e] of reg)
    models[name] = {
      file: e.file,
      loaded: !!e.model,
      ...(e.model ? { digest: e.model.digest } : {}),
      ...(e.error ? { error: e.error } : {}),
    };
  for (const name of required) {
    const m = models[name];
    if (!m) errors.push(`${name}: not loaded yet`);
    else if (m.error) errors.push(m.error);
    else if (!m.loaded) errors.push(`${name}: loading`);
  }
  for (const [name, m] of Object.entries(models))
    if (m.error && !required.includes(name)) errors.push(m.error);
  const loaded = errors.length === 0 && Object.keys(models).length > 0;
  return { loaded, ...(errors.length ? { error: errors.join('; ') } : {}), models };
}

/** For tests: forget loaded models so the next load reads the files again. */
export function resetModels(): void {
  registry().clear();
}
