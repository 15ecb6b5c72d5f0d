/**
 * The background and ink options of a conversion, as zod schemas the engine options extend: what happens to the
 * image's background (kept as a shape, dropped to transparency, or replaced by a colour) and, in one-ink (mono)
 * results, the ink's colour.
 */
import { z } from 'zod';
import { hexColorSchema } from '@/lib/palette/css-color';

export const backgroundOptionSchema = z
  .union([
    z.enum(['keep', 'drop']),
    z.object({ replace: hexColorSchema.describe('The background’s new colour.') }).strict(),
  ])
  .describe(
    'The background (the dominant colour connected to the image border, or its transparency): keep = a shape of its own (colour mode: as traced; mono: white paper under the ink, so white letters on a coloured plate stay white); drop = transparent; {"replace": "#rrggbb"} = that colour. Areas of the background colour enclosed by other shapes are shapes, not background. Absent: colour results keep the background, mono results are ink on transparency.',
  );

export type BackgroundOption = z.output<typeof backgroundOptionSchema>;

/** A background as one word, for query strings, form fields and the CLI: keep, drop, or a hex colour (replace). */
export function backgroundFromWord(word: string): unknown {
  const w = word.trim();
  return w === 'keep' || w === 'drop' ? w : { replace: w };
}

export const backgroundWordSchema = z
  .string()
  .transform(backgroundFromWord)
  .pipe(backgroundOptionSchema)
  .describe('The background: keep, drop (transparent) or a hex colour that replaces it (#rrggbb).');

export const inkOptionSchema = hexColorSchema.describe(
  'Mono results: the one ink, #rrggbb. Default #000000 when mode is "mono"; when auto mode picks mono, the image’s own dark colour.',
);

export const DEFAULT_INK = '#000000';

/**
 * The ink a request paints a mono result with: its own, black when it asked for mono, none (the image's colour)
 * when auto mode chose mono for it.
 */
export function resolveInk(request: { mode: string; ink?: string }): string | undefined {
  return request.ink ?? (request.mode === 'mono' ? DEFAULT_INK : undefined);
}
