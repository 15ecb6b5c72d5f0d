/**
 * One conversion request as the router takes it: the engine's options plus the quality tier and its target. The
 * API and the CLI parse it once with this schema; the pool, the router and the engine pass the parsed value on.
 */
import { z } from 'zod';
import { engineOptionsSchema } from '@/lib/vectorize/convert-options';
import { optionsError } from '@/lib/vectorize/params';
import type { Tier } from './types';

const qualitySchema = z.enum(['fast', 'balanced', 'best']);

export const conversionRequestSchema = engineOptionsSchema
  .extend({
    quality: qualitySchema
      .default('balanced')
      .describe('fast = class defaults, balanced = predicted parameters, best = quality-feedback search.'),
    targetSsim: z.number().min(0.5).max(1).optional().describe('Explicit RGB-SSIM target; implies best.'),
    timeBudgetMs: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .optional()
      .describe('Time budget of the best-quality search in ms (default 2000).'),
  })
  .strict();

export type ConversionRequest = z.output<typeof conversionRequestSchema>;

/** Parses a request at an edge that answers with one message (CLI, tests): bad_options names the first bad field. */
export function parseConversionRequest(value: unknown): ConversionRequest {
  const parsed = conversionRequestSchema.safeParse(value);
  if (!parsed.success) throw optionsError(parsed.error);
  return parsed.data;
}

/** fast = tier 1 (class defaults), balanced = tier 2 (predicted), best or an explicit target = tier 3 (search). */
export function tierOf(request: ConversionRequest): Tier {
  if (request.targetSsim !== undefined) return 3;
  return request.quality === 'fast' ? 1 : request.quality === 'balanced' ? 2 : 3;
}
