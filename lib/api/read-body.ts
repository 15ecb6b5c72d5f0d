/** Reads a request body with a hard byte cap, refusing oversized uploads before they are buffered. */
import { formatBytes } from '@/lib/format/bytes';
import { ApiError } from './problem';

export function tooLarge(bytes: number | null, maxBytes: number): ApiError {
  const what = bytes === null ? 'The upload' : `The upload (${formatBytes(bytes)})`;
  return new ApiError(413, 'too-large', `${what} is larger than the ${formatBytes(maxBytes)} limit.`, {
    extensions: { maxBytes },
  });
}

/**
 * Checks Content-Length first (cheap refusal), then counts bytes as they stream in and cancels the stream the
 * moment the cap is passed, so a lying or missing Content-Length cannot make us hold more than `cap` bytes.
 */
export async function readBodyCapped(request: Request, cap: number, reportedLimit = cap): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > cap) {
    throw tooLarge(Number(declared), reportedLimit);
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(null, reportedLimit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The form a multipart body read by readBodyCapped holds; a malformed one is a 400 problem. */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData> {
  try {
    return await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ApiError(400, 'bad-request', 'The multipart body is malformed.');
  }
}
