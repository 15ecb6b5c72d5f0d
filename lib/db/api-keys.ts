/**
 * API key rows. How a key is made and checked (generation, hashing, scopes, static API_KEYS) lives in
 * lib/auth/api-keys.ts; this module only stores and finds. The raw key is never stored, only its digest.
 */
import { getDb, type Db } from './client';

/** A key as stored, without its digest; `scopes` is the space-separated column. */
export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const publicSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  userId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function insertApiKey(
  data: { userId: string; name: string; scopes: string; prefix: string; hashedKey: string },
  db: Db = getDb(),
): Promise<ApiKeyRow> {
  return db.apiKey.create({ data, select: publicSelect });
}

/** The row whose digest is `hashedKey`, digest included (for the constant-time comparison), else null. */
export async function findApiKeyByHash(
  hashedKey: string,
  db: Db = getDb(),
): Promise<(ApiKeyRow & { hashedKey: string }) | null> {
  return db.apiKey.findUnique({ where: { hashedKey }, select: { ...publicSelect, hashedKey: true } });
}

/** Records a use; a key revoked meanwhile is left alone. */
export async function markApiKeyUsed(id: string, at: Date, db: Db = getDb()): Promise<void> {
  await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { lastUsedAt: at } });
}

/** Revokes the user's key; false when it is not theirs or does not exist. Revoking twice keeps the first time. */
export async function revokeUserApiKey(id: string, userId: string, db: Db = getDb()): Promise<boolean> {
  const key = await db.apiKey.findFirst({ where: { id, userId }, select: { id: true } });
  if (!key) return false;
  await db.apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return true;
}

/** All of the user's keys, newest first, revoked ones included. */
export async function listUserApiKeys(userId: string, db: Db = getDb()): Promise<ApiKeyRow[]> {
  return db.apiKey.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: publicSelect,
  });
}
