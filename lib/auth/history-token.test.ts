// The anonymous history cookie: tokens are random, only well-formed ones are read, and the cookie is locked down.
import { describe, expect, it } from 'vitest';
import {
  createHistoryToken,
  hashHistoryToken,
  historyCookieHeader,
  HISTORY_COOKIE,
  readHistoryToken,
} from './history-token';

describe('history cookie', () => {
  it('issues distinct 256-bit tokens and stores only a hash that differs per token', () => {
    const a = createHistoryToken();
    const b = createHistoryToken();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(hashHistoryToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashHistoryToken(a)).not.toBe(hashHistoryToken(b));
    expect(hashHistoryToken(a)).not.toContain(a);
  });

  it('reads the token among other cookies and ignores malformed or look-alike ones', () => {
    const t = createHistoryToken();
    expect(readHistoryToken(`theme=dark; ${HISTORY_COOKIE}=${t}; x=1`)).toBe(t);
    expect(readHistoryToken(`x${HISTORY_COOKIE}=${t}`)).toBeNull();
    expect(readHistoryToken(`${HISTORY_COOKIE}=short`)).toBeNull();
    expect(readHistoryToken(`${HISTORY_COOKIE}=${t}x`)).toBeNull();
    expect(readHistoryToken(null)).toBeNull();
  });

  it('is httpOnly and SameSite=Lax, Secure only over HTTPS', () => {
    const t = createHistoryToken();
    const plain = historyCookieHeader(t, false);
    expect(plain).toContain('HttpOnly');
    expect(plain).toContain('SameSite=Lax');
    expect(plain).not.toContain('Secure');
    expect(historyCookieHeader(t, true)).toMatch(/; Secure$/);
    expect(readHistoryToken(plain.split(';')[0])).toBe(t);
  });
});
