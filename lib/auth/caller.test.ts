// Caller identification: where the key is read from, what a refusal says, and whose history each caller owns.
import { describe, expect, it } from 'vitest';
import { browserHistoryOwner, extractApiKey, historyOwnerOf, resolveCaller, type Caller } from './caller';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { UnauthorizedError } from './errors';
import { createHistoryToken, hashHistoryToken, HISTORY_COOKIE } from './history-token';

const request = (headers: Record<string, string> = {}) => new Request('http://localhost/api', { headers });

describe('extractApiKey', () => {
  it('reads a Bearer token, else x-api-key, and refuses any other Authorization scheme without a challenge', () => {
    expect(extractApiKey(new Headers({ authorization: 'Bearer k1', 'x-api-key': 'k2' }))).toBe('k1');
    expect(extractApiKey(new Headers({ 'x-api-key': ' k2 ' }))).toBe('k2');
    expect(extractApiKey(new Headers())).toBeNull();
    const err = (() => {
      try {
        extractApiKey(new Headers({ authorization: 'Basic abc' }));
      } catch (e) {
        return e as UnauthorizedError;
      }
    })();
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err?.challenge).toBeUndefined();
  });
});

describe('resolveCaller', () => {
  const options = { keysRequired: false, address: { trustProxy: true, proxyHops: 1, vercel: false } };

  it('names each refusal with its challenge: key required, key invalid', async () => {
    const required = await resolveCaller(request(), { ...options, keysRequired: true }).catch((e) => e);
    expect(required).toBeInstanceOf(UnauthorizedError);
    expect(required.challenge).toBe('Bearer realm="api"');
    const invalid = await resolveCaller(request({ authorization: 'Bearer x' }), {
      ...options,
      verify: async () => null,
    }).catch((e) => e);
    expect(invalid.challenge).toBe('Bearer realm="api", error="invalid_token"');
  });

  it('keys an anonymous caller by address and carries only the hash of its history cookie', async () => {
    const token = createHistoryToken();
    const caller = await resolveCaller(
      request({
        'x-forwarded-for': '203.0.113.4',
        [PEER_ADDRESS_HEADER]: '10.0.0.2',
        cookie: `${HISTORY_COOKIE}=${token}`,
      }),
      options,
    );
    expect(caller).toEqual({
      kind: 'anonymous',
      id: 'ip:203.0.113.4',
      ip: '203.0.113.4',
      historyTokenHash: hashHistoryToken(token),
    });
  });
});

describe('history owners', () => {
  it('gives each caller its own history, and a static key or a cookie-less browser none', () => {
    const key = (keyId: string, userId: string | null, scopes: string[]): Caller => ({
      kind: 'apiKey',
      id: `key:${keyId}`,
      keyId,
      userId,
      scopes,
    });
    expect(historyOwnerOf({ kind: 'session', id: 'user:u1', userId: 'u1' })).toEqual({ userId: 'u1' });
    expect(historyOwnerOf(key('k1', 'u1', ['convert', 'history:read']))).toEqual({ userId: 'u1' });
    // The history endpoints refuse a key without history:read before asking (lib/api/with-api.ts).
    expect(historyOwnerOf(key('k1', 'u1', ['history:read']))).toEqual({ userId: 'u1' });
    expect(historyOwnerOf(key('static:0', null, ['convert', 'history:read']))).toBeNull();
    expect(historyOwnerOf({ kind: 'anonymous', id: 'ip:x', ip: 'x' })).toBeNull();
    expect(historyOwnerOf({ kind: 'anonymous', id: 'ip:x', ip: 'x', historyTokenHash: 'h' })).toEqual({
      browserTokenHash: 'h',
    });
  });

  it('shows the history pages the signed-in user, else the browser holding a well-formed cookie', () => {
    const token = createHistoryToken();
    expect(browserHistoryOwner('u1', token)).toEqual({ userId: 'u1' });
    expect(browserHistoryOwner(null, token)).toEqual({ browserTokenHash: hashHistoryToken(token) });
    expect(browserHistoryOwner(null, 'forged')).toBeNull();
    expect(browserHistoryOwner(null, undefined)).toBeNull();
  });
});
