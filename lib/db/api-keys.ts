/** REST API keys: create (raw key shown once), verify (sha256 lookup, constant-time compare), revoke, list. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { getDb, type Db } from './client';
import { InvalidRecordError } from './invalid-record-error';

export const API_KEY_SCOPES = ['convert', 'history:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PREFIX = 'svgai_';
// 32 random bytes = 256 bits: a plain sha256 is enough, no slow hash needed (nothing to brute-force).
const KEY_PATTERN = /^svgai_[A-Za-z0-9_-]{43}$/;
// Writing lastUsedAt on every request would make each API call a database write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

export type ApiKeyRecord = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const createSchema = z.object({
  userId: z.string().min(1),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'must name at least one scope').max(API_KEY_SCOPES.length),
});

export function hashApiKey(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function generateApiKey(): { key: string; prefix: string; hashedKey: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), hashedKey: hashApiKey(key) };
}

export function isWellFormedApiKey(raw: string): boolean {
  return KEY_PATTERN.test(raw);
}

type Row = {
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

function toRecord(row: Row): ApiKeyRecord {
  const scopes = row.scopes
    .split(/\s+/)
    .filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s));
  return { ...row, scopes };
}

/** Creates a key for `userId`. The raw `key` exists only in this return value: store it nowhere. */
export async function createApiKey(
  userId: string,
  name: string,
  scopes: readonly string[] = ['convert'],
  db: Db = getDb(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const parsed = createSchema.safeParse({ userId, name, scopes: [...new Set(scopes)] });
  if (!parsed.success) throw new InvalidRecordError('API key', parsed.error);
  const { key, prefix, hashedKey } = generateApiKey();
  const row = await db.apiKey.create({
    data: {
      userId: parsed.data.userId,
      name: parsed.data.name,
      scopes: parsed.data.scopes.join(' '),
      prefix,
      hashedKey,
    },
    select: publicSelect,
  });
  return { key, record: toRecord(row) };
}

/** The key's record when `raw` is a live key, else null (malformed, unknown or revoked). Marks it used. */
export async function verifyApiKey(
  raw: string,
  db: Db = getDb(),
  now: Date = new Date(),
): Promise<ApiKeyRecord | null> {
  if (typeof raw !== 'string' || !isWellFormedApiKey(raw)) return null;
  const hashed = hashApiKey(raw);
  const row = await db.apiKey.findUnique({
    where: { hashedKey: hashed },
    select: { ...publicSelect, hashedKey: true },
  });
  if (!row) return null;
  // The lookup already matched the digest; comparing again in constant time keeps the check itself free of
  // early-exit timing whatever the database's string comparison does.
  if (!timingSafeEqual(Buffer.from(row.hashedKey, 'hex'), Buffer.from(hashed, 'hex'))) return null;
  if (row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: now } });
    row.lastUsedAt = now;
  }
  const { hashedKey: _omit, ...rest } = row;
  void _omit;
  return toRecord(rest);
}

/** Revokes the user's key; false when it is not theirs or does not exist. Revoking twice keeps the first time. */
export async function revokeApiKey(id: string, userId: string, db: Db = getDb()): Promise<boolean> {
  if (!id || !userId) return false;
  const key = await db.apiKey.findFirst({ where: { id, userId }, select: { id: true } });
  if (!key) return false;
  await db.apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return true;
}

/** All of the user's keys, newest first, revoked ones included (the page shows them struck through). */
export async function listApiKeys(userId: string, db: Db = getDb()): Promise<ApiKeyRecord[]> {
  const rows = await db.apiKey.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: publicSelect,
  });
  return rows.map(toRecord);
}
