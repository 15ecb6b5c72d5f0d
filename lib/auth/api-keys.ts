/**
 * REST API keys, the one place they are made and checked: generation (the raw key is shown once), hashing,
 * scopes, and verification of a presented key against the static API_KEYS, then the database keys (their rows
 * are stored and found by lib/db/api-keys.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import {
  findApiKeyByHash,
  insertApiKey,
  listUserApiKeys,
  markApiKeyUsed,
  revokeUserApiKey,
  type ApiKeyRow,
} from '@/lib/db/api-keys';
import type { Db } from '@/lib/db/client';
import { InvalidRecordError } from '@/lib/db/invalid-record-error';

export const API_KEY_SCOPES = ['convert', 'history:read', 'batch:write', 'batch:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PREFIX = 'svgai_';
// 32 random bytes = 256 bits: a plain sha256 is enough, no slow hash needed (nothing to brute-force).
const KEY_PATTERN = /^svgai_[A-Za-z0-9_-]{43}$/;
// Longer than any key we or an operator would issue; refused before hashing anything.
const MAX_PRESENTED_LENGTH = 200;
// Writing lastUsedAt on every request would make each API call a database write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** A database key as the account page shows it (never its digest). */
type ApiKeyRecord = Omit<ApiKeyRow, 'scopes'> & { scopes: ApiKeyScope[] };

/** The key behind a request: a database key, or `static:<n>` for the n-th API_KEYS entry (no user, all scopes). */
type VerifiedApiKey = { id: string; userId: string | null; scopes: string[]; name: string };

const createSchema = z.object({
  userId: z.string().min(1),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'must name at least one scope').max(API_KEY_SCOPES.length),
});

export function hashApiKey(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

function generateApiKey(): { key: string; prefix: string; hashedKey: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), hashedKey: hashApiKey(key) };
}

function isWellFormedApiKey(raw: string): boolean {
  return KEY_PATTERN.test(raw);
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
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
  db?: Db,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const parsed = createSchema.safeParse({ userId, name, scopes: [...new Set(scopes)] });
  if (!parsed.success) throw new InvalidRecordError('API key', parsed.error);
  const { key, prefix, hashedKey } = generateApiKey();
  const row = await insertApiKey(
    {
      userId: parsed.data.userId,
      name: parsed.data.name,
      scopes: parsed.data.scopes.join(' '),
      prefix,
      hashedKey,
    },
    db,
  );
  return { key, record: toRecord(row) };
}

function digest(s: string): Buffer {
  // Equal-length digests let timingSafeEqual compare keys of any length.
  return createHash('sha256').update(s).digest();
}

/** The index of the static API_KEYS entry `raw` equals, or -1; compares with every one so timing tells nothing. */
function matchStaticKey(raw: string, staticKeys: readonly string[]): number {
  const d = digest(raw);
  let match = -1;
  staticKeys.forEach((k, i) => {
    if (timingSafeEqual(digest(k), d) && match < 0) match = i;
  });
  return match;
}

/** The database key's record when `raw` is a live key, else null (malformed, unknown or revoked). Marks it used. */
async function verifyDatabaseKey(raw: string, db: Db | undefined, now: Date): Promise<ApiKeyRecord | null> {
  if (!isWellFormedApiKey(raw)) return null;
  const hashed = hashApiKey(raw);
  const row = await findApiKeyByHash(hashed, db);
  if (!row) return null;
  // The lookup already matched the digest; comparing again in constant time keeps the check itself free of
  // early-exit timing whatever the database's string comparison does.
  if (!timingSafeEqual(Buffer.from(row.hashedKey, 'hex'), Buffer.from(hashed, 'hex'))) return null;
  if (row.revokedAt) return null;
  const { hashedKey: _omit, ...stored } = row;
  void _omit;
  if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await markApiKeyUsed(stored.id, now, db);
    stored.lastUsedAt = now;
  }
  return toRecord(stored);
}

/**
 * How a presented key is checked: the static API_KEYS from config first (constant time against each), then
 * the database keys (sha256 lookup, constant-time compare, not revoked). Null for anything else.
 */
export async function verifyApiKey(
  raw: string,
  options: { staticKeys?: readonly string[]; db?: Db; now?: Date } = {},
): Promise<VerifiedApiKey | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_PRESENTED_LENGTH) return null;
  const staticKeys = options.staticKeys ?? getConfig().security.staticApiKeys;
  const match = matchStaticKey(raw, staticKeys);
  if (match >= 0) {
    return {
      id: `static:${match}`,
      userId: null,
      scopes: [...API_KEY_SCOPES],
      name: `API_KEYS #${match + 1}`,
    };
  }
  const record = await verifyDatabaseKey(raw, options.db, options.now ?? new Date());
  return record ? { id: record.id, userId: record.userId, scopes: record.scopes, name: record.name } : null;
}

/** Revokes the user's key; false when it is not theirs or does not exist. Revoking twice keeps the first time. */
export async function revokeApiKey(id: string, userId: string, db?: Db): Promise<boolean> {
  if (!id || !userId) return false;
  return revokeUserApiKey(id, userId, db);
}

/** All of the user's keys, newest first, revoked ones included (the page shows them struck through). */
export async function listApiKeys(userId: string, db?: Db): Promise<ApiKeyRecord[]> {
  return (await listUserApiKeys(userId, db)).map(toRecord);
}
