/** The AI router's two ONNX models: where they live (config), loading them once, and running them. */
import path from 'node:path';
import { getConfig } from '@/lib/config';
import type { RgbaImage } from '@/lib/quality/types';
import { extractFeatures } from './features';
import {
  getModelStatus as getStatusOf,
  loadModel,
  type LoadedModel,
  type ModelStatus,
} from './onnx/model-session';
import {
  CLASSIFIER_INPUTS,
  CLASSIFIER_OUTPUTS,
  decodeParams,
  IMAGE_TYPES,
  OPTIMIZER_INPUTS,
  OPTIMIZER_OUTPUTS,
  optimizerInput,
  type PredictedParams,
} from './param-encoding';
import type { ImageType } from './types';

export { ModelLoadError } from './onnx/model-session';

const AI_MODELS = ['classifier', 'optimizer'] as const;

function modelPaths(): { classifier: string; optimizer: string } {
  const c = getConfig();
  return {
    classifier: path.resolve(c.models.dir, c.modelFiles.classifier),
    optimizer: path.resolve(c.models.dir, c.modelFiles.params),
  };
}

function loadClassifier(): Promise<LoadedModel> {
  return loadModel('classifier', modelPaths().classifier, CLASSIFIER_INPUTS, CLASSIFIER_OUTPUTS);
}

function loadOptimizer(): Promise<LoadedModel> {
  return loadModel('optimizer', modelPaths().optimizer, OPTIMIZER_INPUTS, OPTIMIZER_OUTPUTS);
}

/**
 * The digests of the two models, naming exactly which models choose results (e.g. in result cache keys);
 * 'unavailable' for a model that does not load (the engine then converts without it).
 */
export function modelDigests(): Promise<string[]> {
  const digestOf = (model: Promise<LoadedModel>) =>
    model.then(
      (m) => m.digest,
      () => 'unavailable',
    );
  return Promise.all([digestOf(loadClassifier()), digestOf(loadOptimizer())]);
}

/** Loads both models (call at startup); rejects with a ModelLoadError naming the first file that failed. */
export async function loadAiModels(): Promise<void> {
  const results = await Promise.allSettled([loadClassifier(), loadOptimizer()]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/** Readiness of the AI models: loaded is true only once both models loaded; error names the failing file. */
export function getModelStatus(): ModelStatus {
  return getStatusOf(AI_MODELS);
}

export type Classification = {
  type: ImageType;
  confidence: number;
  probabilities: Record<ImageType, number>;
};

export async function classifyFeatures(features: Float32Array): Promise<Classification> {
  const [p] = await (await loadClassifier()).run([features]);
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  const probabilities = Object.fromEntries(IMAGE_TYPES.map((t, i) => [t, p[i]])) as Record<ImageType, number>;
  return { type: IMAGE_TYPES[best], confidence: p[best], probabilities };
}

/** Classifies an image as simple / text / gradient / complex with the ONNX classifier. */
export async function classifyImage(image: RgbaImage): Promise<Classification> {
  return classifyFeatures(extractFeatures(image));
}

/** Predicts trace parameters for an image of a known type with the ONNX parameter predictor. */
export async function predictParams(features: Float32Array, type: ImageType): Promise<PredictedParams> {
  const [out] = await (await loadOptimizer()).run([optimizerInput(features, type)]);
  return decodeParams(out);
}
