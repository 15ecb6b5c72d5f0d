/** Public surface of AI routing: the router, model loading and the readiness status. */
export { routeConversion, targetFor, DEFAULT_TIME_BUDGET_MS } from './router';
export { getModelStatus, loadAiModels, classifyImage, ModelLoadError, modelPaths } from './models';
export type { ImageType, QualityPreference, RouteRequest, RoutedResult, Tier } from './types';
