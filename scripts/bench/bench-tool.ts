/** What a benchmark column is: the type every tool factory returns (tools.ts, ai-tools.ts) and the bench runs. */
import type { RgbaImage } from '@/lib/quality/types';

/** Extra per-image facts a tool may report (e.g. the AI router's type, tier, targetMet); numbers and booleans are averaged. */
export type ToolMeta = Record<string, number | boolean | string>;

export type BenchTool = {
  name: string;
  /** One line for the results file: what runs and with which settings. */
  description: string;
  /** Gets the PNG bytes and the same pixels decoded; returns the SVG (the bench measures it with lib/quality). */
  convert(png: Buffer, rgba: RgbaImage): Promise<string | { svg: string; meta?: ToolMeta }>;
};
