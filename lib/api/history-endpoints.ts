/** GET /api/v1/conversions and /api/v1/conversions/{id}: the caller's own recorded history over the API. */
import { getConversion, getConversionOriginal, listConversions } from '@/lib/db/conversions';
import { historyOwnerOf } from '@/lib/auth/caller';
import { ApiError } from './problem';
import { contentDisposition } from './content-disposition';
import { fileResponse } from './export-endpoint';
import { conversionQuerySchema, listConversionsQuerySchema } from './schemas';
import type { ApiContext } from './with-api';

// Who may see them depends on the credentials, so shared caches never keep them.
const PRIVATE = { 'cache-control': 'private, no-store', vary: 'authorization, x-api-key, cookie' };

/** Only the caller's own conversions (see historyOwnerOf); a caller that owns no history gets 401. */
export async function handleListConversions(request: Request, ctx: ApiContext): Promise<Response> {
  const owner = historyOwnerOf(ctx.caller);
  if (!owner) {
    throw new ApiError(
      401,
      'unauthorized',
      'Listing conversions needs an API key that belongs to a user, a signed-in session, or the history cookie of a browser that has converted images.',
      { headers: { 'www-authenticate': 'Bearer realm="api"' } },
    );
  }
  const query = ctx.parse(
    listConversionsQuerySchema,
    Object.fromEntries(new URL(request.url).searchParams),
    'query',
  );
  let page;
  try {
    page = await listConversions(owner, query);
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidRecordError')
      throw new ApiError(400, 'bad-request', error.message);
    throw error;
  }
  return Response.json(
    {
      items: page.items.map(({ userId: _user, ...c }) => {
        void _user;
        return { ...c, createdAt: c.createdAt.toISOString() };
      }),
      nextCursor: page.nextCursor,
    },
    { headers: PRIVATE },
  );
}

/**
 * One of the caller's conversions. Someone else's id answers 404 exactly like an unknown one (never 403), so
 * ids reveal nothing about other people's conversions.
 */
export async function handleGetConversion(
  request: Request,
  ctx: ApiContext,
  params: { id: string },
): Promise<Response> {
  const query = ctx.parse(
    conversionQuerySchema,
    Object.fromEntries(new URL(request.url).searchParams),
    'query',
  );
  const owner = historyOwnerOf(ctx.caller);
  const conversion = owner ? await getConversion(params.id, owner) : null;
  if (!conversion) throw new ApiError(404, 'not-found', `No conversion with id "${params.id.slice(0, 64)}".`);
  if (query.format && query.format !== 'json') {
    return fileResponse(conversion.svg, query.format, { ...query, fileName: conversion.fileName }, PRIVATE);
  }
  const { inputHash: _hash, apiKeyId: _key, userId: _user, ...visible } = conversion;
  void _hash;
  void _key;
  void _user;
  return Response.json({ ...visible, createdAt: conversion.createdAt.toISOString() }, { headers: PRIVATE });
}

/** The original upload of one of the caller's conversions, byte for byte (404 when not theirs or not kept). */
export async function handleGetConversionOriginal(
  _request: Request,
  ctx: ApiContext,
  params: { id: string },
): Promise<Response> {
  const owner = historyOwnerOf(ctx.caller);
  const original = owner ? await getConversionOriginal(params.id, owner) : null;
  if (!original) {
    throw new ApiError(
      404,
      'not-found',
      `No original kept for a conversion with id "${params.id.slice(0, 64)}".`,
    );
  }
  return new Response(new Uint8Array(original.bytes), {
    headers: {
      'content-type': original.mimeType,
      'content-disposition': contentDisposition(original.fileName, original.mimeType.split('/')[1]).replace(
        /^attachment/,
        'inline',
      ),
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
      ...PRIVATE,
    },
  });
}
