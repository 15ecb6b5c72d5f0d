/**
 * Who is calling the API: a verified API key, a signed-in web user (session), or an anonymous client keyed by
 * address (with its browser's history cookie, if any); and whose history that caller may read.
 */
import type { HistoryOwner } from '@/lib/db/conversions';
import { addressBucket, clientAddress, type ClientAddressSettings } from '@/lib/http/client-address';
import { verifyApiKey } from './api-keys';
import { UnauthorizedError } from './errors';
import { hashHistoryToken, parseHistoryToken, readHistoryToken } from './history-token';

type VerifiedKey = { id: string; userId?: string | null; scopes?: readonly string[] };
export type KeyVerifier = (raw: string) => Promise<VerifiedKey | null>;

/** The signed-in web user (session cookie) for requests without an API key; null when signed out. */
export type SessionResolver = (request: Request) => Promise<string | null>;

export type Caller =
  /** `historyTokenHash`: the hash of the browser's history cookie, when it sent a well-formed one. */
  | { kind: 'anonymous'; id: string; ip: string; historyTokenHash?: string | null }
  | { kind: 'session'; id: string; userId: string }
  | { kind: 'apiKey'; id: string; keyId: string; userId: string | null; scopes: readonly string[] };

/** Static API_KEYS from config, then database keys (lib/auth/api-keys.ts). */
export const verifyConfiguredKey: KeyVerifier = (raw) => verifyApiKey(raw);

/** Bearer token or x-api-key; Bearer wins when both are present. */
export function extractApiKey(headers: Headers): string | null {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw new UnauthorizedError('The Authorization header must be "Bearer <api key>".');
    return m[1];
  }
  const key = headers.get('x-api-key')?.trim();
  return key ? key : null;
}

export async function resolveCaller(
  request: Request,
  options: {
    keysRequired: boolean;
    address: ClientAddressSettings;
    verify?: KeyVerifier;
    session?: SessionResolver;
  },
): Promise<Caller> {
  const headers = request.headers;
  const raw = extractApiKey(headers);
  if (raw === null) {
    // The web page's own calls: a signed-in user is identified by the session, like an API key's owner.
    const userId = options.session ? await options.session(request).catch(() => null) : null;
    if (userId) return { kind: 'session', id: `user:${userId}`, userId };
    if (options.keysRequired) {
      throw new UnauthorizedError(
        'An API key is required: send "Authorization: Bearer <key>".',
        'Bearer realm="api"',
      );
    }
    const ip = clientAddress(headers, options.address);
    // The cookie only selects whose history is shown; the rate limit stays keyed by address (the browser and
    // curl on one address share it), so a fresh cookie per request buys no fresh allowance.
    const token = readHistoryToken(headers.get('cookie'));
    return {
      kind: 'anonymous',
      id: `ip:${addressBucket(ip)}`,
      ip,
      ...(token ? { historyTokenHash: hashHistoryToken(token) } : {}),
    };
  }
  const key = await (options.verify ?? verifyConfiguredKey)(raw);
  if (!key) {
    throw new UnauthorizedError(
      'The API key is invalid or revoked.',
      'Bearer realm="api", error="invalid_token"',
    );
  }
  return {
    kind: 'apiKey',
    id: `key:${key.id}`,
    keyId: key.id,
    userId: key.userId ?? null,
    scopes: key.scopes ?? [],
  };
}

/**
 * Whose history the caller may read: a signed-in user sees their own; a key (the history endpoints require its
 * "history:read" scope, lib/api/with-api.ts) sees its user's; an anonymous browser sees what its cookie made.
 * Null when the caller owns no history at all (no cookie, or a static API_KEYS key that belongs to no user).
 */
export function historyOwnerOf(caller: Caller): HistoryOwner | null {
  switch (caller.kind) {
    case 'session':
      return { userId: caller.userId };
    case 'apiKey':
      if (caller.userId) return { userId: caller.userId };
      return caller.keyId.startsWith('static:') ? null : { apiKeyId: caller.keyId };
    case 'anonymous':
      return caller.historyTokenHash ? { browserTokenHash: caller.historyTokenHash } : null;
  }
}

/**
 * Whose history the history pages show: the signed-in user, else the browser holding the history cookie
 * (`historyCookie`: the cookie's value). Null for a browser that has never converted anything.
 */
export function browserHistoryOwner(
  userId: string | null,
  historyCookie: string | undefined,
): HistoryOwner | null {
  if (userId) return { userId };
  const token = parseHistoryToken(historyCookie);
  return token ? { browserTokenHash: hashHistoryToken(token) } : null;
}
