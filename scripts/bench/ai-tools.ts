/** Benchmark columns for the AI router's tiers (1: class defaults, 2: predicted params, 3: quality search, 2 s). */
import type { BenchTool } from './bench-tool';

const TIERS = { 1: 'fast', 2: 'balanced', 3: 'best' } as const;

export async function createAiTierTool(tier: 1 | 2 | 3): Promise<BenchTool> {
  const { routeConversion } = await import('@/lib/ai/router');
  const { parseConversionRequest } = await import('@/lib/ai/request');
  return {
    name: `ai-tier${tier}`,
    description: `\`routeConversion()\` from lib/ai, quality=${TIERS[tier]} (tier ${tier}${tier === 3 ? ', 2000 ms budget' : ''}), no result cache`,
    async convert(png) {
      const r = await routeConversion(png, parseConversionRequest({ quality: TIERS[tier] }));
      return {
        svg: r.svg,
        meta: {
          type: r.type,
          confidence: r.confidence,
          iterations: r.iterations,
          targetMet: r.targetMet,
        },
      };
    },
  };
}
