/**
 * What one conversion asks of the engine (mode, parameter overrides, whether to measure, decode limits), as a zod
 * schema: the edges (API, CLI) parse it once, and the engine and everything between trust the parsed value.
 */
import { z } from 'zod';
import { backgroundOptionSchema, inkOptionSchema } from './background/background-options';
import { paletteControlSchema } from './palette-control';
import { traceParamsOverridesSchema } from './params';

const conversionModeSchema = z.enum(['auto', 'color', 'mono']);

export type ConversionMode = z.infer<typeof conversionModeSchema>;

const decodeLimitsSchema = z
  .object({
    maxBytes: z.number().int().positive().describe('Refuse inputs larger than this many bytes.'),
    maxPixels: z.number().int().positive().describe('Refuse images with more pixels than this.'),
  })
  .strict();

export const engineOptionsSchema = z
  .object({
    mode: conversionModeSchema.default('auto').describe('Tracing mode; auto picks from the image.'),
    params: traceParamsOverridesSchema.optional().describe('Overrides of individual tracer parameters.'),
    skipQuality: z
      .boolean()
      .optional()
      .describe(
        'Skip the render-back SSIM measurement where the tier allows (callers that measure themselves).',
      ),
    limits: decodeLimitsSchema.optional().describe('Byte and pixel limits; the configured ones when absent.'),
    palette: paletteControlSchema
      .optional()
      .describe('Palette control: an exact colour count, a user palette, colours to remove.'),
    // zod keeps a description on the schema it was given to, not on the optional wrapper
    background: backgroundOptionSchema.optional().describe(backgroundOptionSchema.description ?? ''),
    ink: inkOptionSchema.optional().describe(inkOptionSchema.description ?? ''),
  })
  .strict();

export type EngineOptions = z.output<typeof engineOptionsSchema>;
