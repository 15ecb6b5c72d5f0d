/** The CLI's single conversion call, so routing (AI tiers) can replace the plain engine in one place. */
import type { ConversionResult, ConvertOptions } from '@/lib/vectorize/types';

export type CliConversion = ConversionResult & Record<string, unknown>;

export async function runConversion(input: Buffer, options: ConvertOptions): Promise<CliConversion> {
  const { convertImage } = await import('@/lib/vectorize/convert-image');
  return convertImage(input, options);
}
