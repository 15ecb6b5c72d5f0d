/**
 * The conversion a pool worker performs: the AI router (classify, pick parameters by tier, convert, measure).
 * When the AI models are not available (not trained yet, or a deploy without them) the engine still converts
 * with its own mode choice, reported as tier 1 with zero confidence, rather than failing every request.
 */
import { RouteCancelledError, routeConversion } from '@/lib/ai/router';
import type { RoutedResult, RouteRequest } from '@/lib/ai/types';
import { convertImage } from '@/lib/vectorize/convert-image';

export async function runConversion(
  image: Buffer,
  request: RouteRequest,
  cancelled?: () => boolean,
): Promise<RoutedResult> {
  try {
    return await routeConversion(image, request, { cancelled });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ModelLoadError')) throw error;
  }
  if (cancelled?.()) throw new RouteCancelledError();
  const result = await convertImage(image, request);
  return {
    ...result,
    type: result.mode === 'mono' ? 'text' : 'simple',
    confidence: 0,
    tier: 1,
    iterations: 1,
    target: 0,
    targetMet: true,
    reason: 'AI models not loaded: the engine chose the mode, with no quality target',
    cached: false,
  };
}
