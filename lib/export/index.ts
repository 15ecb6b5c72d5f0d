/**
 * Output formats of a finished SVG: the SVG itself, PDF, EPS, DXF and PNG. Every export first reads the SVG as a
 * drawing (lib/export/svg-drawing.ts), which refuses anything the writers could not draw completely.
 */
import { ConversionError } from '@/lib/errors/conversion-error';
import { assertSafeSvg } from '@/lib/vectorize/svg/assert-safe-svg';
import { drawingToDxf } from './dxf';
import { drawingToEps } from './eps';
import { FORMAT_INFO, type ExportOptions } from './export-options';
import { drawingToPdf } from './pdf';
import { svgToPng } from './png';
import { applySvgOptions } from './svg-options';
import { readSvgDrawing } from './svg-drawing';

export {
  EXPORT_FORMATS,
  exportFormatSchema,
  exportOptionsSchema,
  formatFromAccept,
  FORMAT_INFO,
} from './export-options';
export type { ExportFormat, ExportOptions } from './export-options';
export { applySvgOptions, titleFromFileName, type SvgOptions } from './svg-options';
export { svgOptionsSchema } from './svg-options-schema';

export type ExportedFile = { body: Buffer; contentType: string; extension: string };

/** `svg` in the asked format; rejects with ConversionError (undecodable, too_large) for an SVG it cannot draw. */
export async function exportSvg(
  svg: string,
  options: Pick<ExportOptions, 'format'> & Partial<ExportOptions>,
): Promise<ExportedFile> {
  const { format, scale = 1, curves = 'polyline', svg: style, title, layers } = options;
  const info = FORMAT_INFO[format];
  const file = (body: Buffer | string) => ({
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    contentType: info.binary ? info.contentType : `${info.contentType}; charset=utf-8`,
    extension: info.extension,
  });
  // the same document checks for every format: nothing unsafe, nothing a writer would silently leave out
  try {
    assertSafeSvg(svg);
  } catch (error) {
    throw new ConversionError('undecodable', `This SVG cannot be exported: ${(error as Error).message}.`);
  }
  // the SVG itself never depends on the drawing reader
  if (format === 'svg') return file(applySvgOptions(svg, { svg: style, title, layers }));
  const drawing = readSvgDrawing(svg);
  switch (format) {
    case 'pdf':
      return file(await drawingToPdf(drawing));
    case 'eps':
      return file(drawingToEps(drawing));
    case 'dxf':
      return file(drawingToDxf(drawing, curves));
    case 'png':
      return file(svgToPng(svg, drawing, scale));
  }
}
