/** What an export asks for (format, PNG scale, DXF curves, SVG style, title and layer groups) as a zod schema, and what each format is on the wire. */
import { z } from 'zod';
import { svgOptionsSchema } from './svg-options-schema';

export const EXPORT_FORMATS = ['svg', 'pdf', 'eps', 'dxf', 'png'] as const;

export const exportFormatSchema = z
  .enum(EXPORT_FORMATS)
  .describe(
    'svg; pdf (vector, one page at the image size, 1 px = 1 pt); eps (PostScript level 3); dxf (closed outlines, one layer per colour); png (rendered with resvg at `scale`).',
  );

export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const exportOptionsSchema = z
  .object({
    format: exportFormatSchema.default('svg'),
    scale: z
      .number()
      .min(0.1)
      .max(16)
      .default(1)
      .describe('PNG only: pixels per SVG pixel, 0.1..16 (the PNG is at most 16384 px a side and 64 MP).'),
    curves: z
      .enum(['polyline', 'spline'])
      .default('polyline')
      .describe(
        'DXF only: closed polylines (curves flattened within 0.05 px) or closed cubic splines (exact).',
      ),
    ...svgOptionsSchema.shape,
  })
  .strict();

export type ExportOptions = z.output<typeof exportOptionsSchema>;

export const FORMAT_INFO: Record<ExportFormat, { contentType: string; extension: string; binary: boolean }> =
  {
    svg: { contentType: 'image/svg+xml', extension: 'svg', binary: false },
    pdf: { contentType: 'application/pdf', extension: 'pdf', binary: true },
    eps: { contentType: 'application/postscript', extension: 'eps', binary: false },
    dxf: { contentType: 'image/vnd.dxf', extension: 'dxf', binary: false },
    png: { contentType: 'image/png', extension: 'png', binary: true },
  };

/** The format an Accept header asks for (its first media type we can produce), or null. */
export function formatFromAccept(accept: string | null): ExportFormat | null {
  if (!accept) return null;
  const wanted = accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { type } of wanted) {
    if (type === 'application/json' || type === 'application/x-ndjson') return null;
    const format = EXPORT_FORMATS.find(
      (f) => FORMAT_INFO[f].contentType === type || (f === 'dxf' && type === 'application/dxf'),
    );
    if (format) return format;
  }
  return null;
}
