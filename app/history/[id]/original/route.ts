/** GET /history/{id}/original: the uploaded image of a recorded conversion, for the history detail page. */
import { getConversionOriginal } from '@/lib/db/conversions';
import { getHistoryOwner } from '../../history-owner';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const owner = await getHistoryOwner();
  // Someone else's conversion answers exactly like a missing one.
  const original = owner ? await getConversionOriginal(id, owner).catch(() => null) : null;
  if (!original) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(original.bytes), {
    headers: {
      'content-type': original.mimeType,
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
      // Who may see it depends on the cookies (signing out must hide it), so caches revalidate every time.
      'cache-control': 'private, no-cache',
      vary: 'cookie',
    },
  });
}
