/** GET /history/{id}/svg: a recorded conversion's SVG for the history pages' <img> previews and downloads. */
import { getConversion } from '@/lib/db/conversions';
import { svgFileName } from '@/components/converter/format';
import { getHistoryOwner } from '../../history-owner';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const owner = await getHistoryOwner();
  // Someone else's conversion answers exactly like a missing one.
  const conversion = owner ? await getConversion(id, owner).catch(() => null) : null;
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
      // Who may see it depends on the cookies (signing out must hide it), so caches revalidate every time.
      'cache-control': 'private, no-cache',
      vary: 'cookie',
      ...(download ? { 'content-disposition': `attachment; filename="${name}"` } : {}),
    },
  });
}
