/**
 * The contract of AI routing (lib/ai/router.ts implements routeConversion): classify the image, pick
 * parameters by tier, convert, and report how the choice was made. Its input is a ConversionRequest
 * (lib/ai/request.ts); the worker pool calls it for the API and the CLI.
 */
import type { ConversionResult } from '@/lib/vectorize/types';

export type ImageType = 'simple' | 'text' | 'gradient' | 'complex';
export type Tier = 1 | 2 | 3;
export type RoutedResult = ConversionResult & {
  type: ImageType;
  confidence: number;
  tier: Tier;
  iterations: number;
  /** Target the tier aimed for, and whether the final SSIM met it. */
  target: number;
  targetMet: boolean;
  /** Why the router stopped: 'target met', 'time budget ran out', ... (says why when targetMet is false). */
  reason: string;
  cached: boolean;
  /**
   * Model inference time of this conversion in ms, per model (absent on cache hits). Inference runs in the
   * worker threads, so the main thread records the metric from here.
   */
  inferenceMs?: Partial<Record<'classifier' | 'optimizer', number>>;
};
