/**
 * POST /api/v1/export: a finished SVG (for example one recoloured in the swatch editor) in another format, PDF,
 * EPS, DXF or PNG. The SVG must be one the exporters can draw completely (lib/export refuses anything else).
 */
import { exportSvg, type ExportFormat, type ExportOptions } from '@/lib/export';
import { contentDisposition } from './content-disposition';
import { ApiError } from './problem';
import { readBodyCapped } from './read-body';
import { exportQuerySchema } from './schemas';
import type { ApiContext } from './with-api';

/** Our outputs are far smaller; this bounds what one export request may make the server parse. */
const MAX_SVG_BYTES = 8 * 1024 * 1024;

export async function handleExport(request: Request, ctx: ApiContext): Promise<Response> {
  const query = ctx.parse(exportQuerySchema, Object.fromEntries(new URL(request.url).searchParams), 'query');
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('image/svg+xml')) {
    throw new ApiError(
      415,
      'unsupported-type',
      `Send the SVG itself as the body with Content-Type: image/svg+xml; got "${type || 'no content type'}".`,
    );
  }
  const svg = (await readBodyCapped(request, MAX_SVG_BYTES)).toString('utf8');
  return fileResponse(svg, query.format, { ...query, fileName: query.name });
}

/** One exported file as a download (an SVG keeps the sandboxing CSP, for a tab that opens it). */
export async function fileResponse(
  svg: string,
  format: ExportFormat,
  options: Partial<Omit<ExportOptions, 'format'>> & { fileName?: string | null },
  headers: Record<string, string> = {},
): Promise<Response> {
  const { fileName: _f, ...exportOptions } = options;
  void _f;
  const file = await exportSvg(svg, { ...exportOptions, format });
  return new Response(new Uint8Array(file.body), {
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(options.fileName, file.extension),
      ...(format === 'svg'
        ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox" }
        : {}),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}
