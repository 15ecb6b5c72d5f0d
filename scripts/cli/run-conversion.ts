/** The CLI's single conversion call: the AI router (type, confidence, tier, iterations) over the engine. */
import type { RouteRequest } from '@/lib/ai/types';
import type { ConversionResult } from '@/lib/vectorize/types';

export type CliConversion = ConversionResult & Record<string, unknown>;

export async function runConversion(input: Buffer, options: RouteRequest): Promise<CliConversion> {
  const { routeConversion } = await import('@/lib/ai/router');
  // each CLI run converts each file once: the result cache would only hold memory; inference timings feed the
  // server's metrics, not the documented JSON line
  const {
    cached: _cached,
    inferenceMs: _inferenceMs,
    ...result
  } = await routeConversion(input, options, { useCache: false });
  void _cached;
  void _inferenceMs;
  return result;
}
