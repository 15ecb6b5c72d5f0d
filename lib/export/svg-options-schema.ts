/** The SVG output options as the API and the CLI parse them (applied by ./svg-options.ts). */
import { z } from 'zod';

export const svgOptionsSchema = z
  .object({
    svg: z
      .enum(['minified', 'pretty'])
      .default('minified')
      .describe('SVG only: minified (the smallest file) or pretty (one element a line, indented).'),
    title: z
      .string()
      .max(200)
      .optional()
      .describe('SVG only: a <title> (the name design tools and screen readers show); escaped.'),
    layers: z
      .boolean()
      .default(false)
      .describe(
        'SVG only: each colour layer in a <g id="layer-1">, <g id="layer-2"> … from the bottom up (named layers in Figma, Illustrator, Inkscape).',
      ),
  })
  .strict();

export type SvgOptions = z.output<typeof svgOptionsSchema>;
