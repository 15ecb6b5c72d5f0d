/** GET /api/v1/conversions and /api/v1/conversions/{id}: the recorded history over the API. */
import { getConversion, listConversions } from '@/lib/db/conversions';
import { ApiError } from './problem';
import { listConversionsQuerySchema } from './schemas';
import type { ApiContext } from './with-api';

/** A key (or a signed-in user) sees its own user's conversions; anonymous listing is not offered. */
export async function handleListConversions(request: Request, ctx: ApiContext): Promise<Response> {
  if (ctx.caller.kind === 'anonymous' || !ctx.caller.userId) {
    throw new ApiError(401, 'unauthorized', 'Listing conversions needs an API key that belongs to a user.', {
      headers: { 'www-authenticate': 'Bearer realm="api"' },
    });
  }
  const query = ctx.parse(
    listConversionsQuerySchema,
    Object.fromEntries(new URL(request.url).searchParams),
    'query',
  );
  let page;
  try {
    page = await listConversions({ ...query, userId: ctx.caller.userId });
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidRecordError')
      throw new ApiError(400, 'bad-request', error.message);
    throw error;
  }
  return Response.json({
    items: page.items.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  });
}

/** Conversion ids are unguessable, so an id works like a share link for that one result. */
export async function handleGetConversion(
  _request: Request,
  _ctx: ApiContext,
  params: { id: string },
): Promise<Response> {
  const conversion = await getConversion(params.id);
  if (!conversion) throw new ApiError(404, 'not-found', `No conversion with id "${params.id.slice(0, 64)}".`);
  const { inputHash: _hash, apiKeyId: _key, userId: _user, ...visible } = conversion;
  void _hash;
  void _key;
  void _user;
  return Response.json({ ...visible, createdAt: conversion.createdAt.toISOString() });
}
