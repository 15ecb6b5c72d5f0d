/** Benchmark columns for the AI router's tiers (1: class defaults, 2: predicted params, 3: quality search, 2 s). */
import type { BenchTool } from './bench-tool';

const TIERS = { 1: 'fast', 2: 'balanced', 3: 'best' } as const;

export async function createAiTierTool(tier: 1 | 2 | 3): Promise<BenchTool> {
  const { routeConversion } = await import('@/lib/ai/router');
  return {
    name: `ai-tier${tier}`,
    description: `\`routeConversion()\` from lib/ai, quality=${TIERS[tier]} (tier ${tier}${tier === 3 ? ', 2000 ms budget' : ''}), result cache off`,
    async convert(png) {
      const r = await routeConversion(png, { quality: TIERS[tier] }, { useCache: false });
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
