/** GET /history/{id}/svg: a recorded conversion's SVG for the history pages' <img> previews and downloads. */
import { getConversion } from '@/lib/db/conversions';
import { svgFileName } from '@/components/converter/format';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const conversion = await getConversion(id);
  if (!conversion)
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const download = new URL(request.url).searchParams.has('download');
  const name = svgFileName(conversion.fileName ?? `conversion-${conversion.id}`).replace(/[^\w.-]+/g, '_');
  return new Response(conversion.svg, {
    headers: {
      'content-type': 'image/svg+xml; charset=utf-8',
      // Opened directly in a tab, an SVG is a document: no scripts, no external loads.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      // A conversion never changes once recorded.
      'cache-control': 'private, max-age=31536000, immutable',
      ...(download ? { 'content-disposition': `attachment; filename="${name}"` } : {}),
    },
  });
}
