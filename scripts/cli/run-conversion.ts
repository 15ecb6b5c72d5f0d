/** The CLI's single conversion call: the AI router (type, confidence, tier, iterations) over the engine. */
import type { RouteRequest } from '@/lib/ai/types';
import type { ConversionResult } from '@/lib/vectorize/types';

export type CliConversion = ConversionResult & Record<string, unknown>;

export async function runConversion(input: Buffer, options: RouteRequest): Promise<CliConversion> {
  const { routeConversion } = await import('@/lib/ai/router');
  // each CLI run converts each file once: the result cache would only hold memory
  const { cached: _cached, ...result } = await routeConversion(input, options, { useCache: false });
  void _cached;
  return result;
}
