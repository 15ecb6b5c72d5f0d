/** Verifies the API key of a REST request: static keys from config (API_KEYS), then database keys. */
import { timingSafeEqual, createHash } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { verifyApiKey, API_KEY_SCOPES } from '@/lib/db/api-keys';
import type { Db } from '@/lib/db/client';

export type VerifiedApiKey = { id: string; userId: string | null; scopes: string[]; name: string };

function digest(s: string): Buffer {
  // Equal-length digests let timingSafeEqual compare keys of any length.
  return createHash('sha256').update(s).digest();
}

export async function verifyRequestApiKey(
  raw: string,
  options: { staticKeys?: string[]; db?: Db } = {},
): Promise<VerifiedApiKey | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 200) return null;
  const staticKeys = options.staticKeys ?? getConfig().security.staticApiKeys;
  const d = digest(raw);
  let match = -1;
  // Compare with every static key (no early exit) so timing does not reveal which one matched.
  staticKeys.forEach((k, i) => {
    if (timingSafeEqual(digest(k), d) && match < 0) match = i;
  });
  if (match >= 0)
    return {
      id: `static:${match}`,
      userId: null,
      scopes: [...API_KEY_SCOPES],
      name: `API_KEYS #${match + 1}`,
    };
  const record = await verifyApiKey(raw, options.db);
  return record ? { id: record.id, userId: record.userId, scopes: record.scopes, name: record.name } : null;
}
