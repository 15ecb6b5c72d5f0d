// Sign-in throttling on the in-process limiter: per email and address, case-insensitive, with a retry time.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/rate-limit';
import { clientIp } from './caller';
import { countSignInAttempt, SIGN_IN_ATTEMPTS, TooManySignInAttemptsError } from './sign-in-limit';

const limiter = () => createRateLimiter({ anonymous: SIGN_IN_ATTEMPTS, apiKey: 0, windowSeconds: 900 });

describe('sign-in throttling', () => {
  it('allows the limit, then refuses with a retry time, per email and address', async () => {
    const l = limiter();
    for (let i = 0; i < SIGN_IN_ATTEMPTS; i++)
      await countSignInAttempt(i % 2 ? 'Ada@Example.com' : 'ada@example.com', '10.0.0.1', l);
    const err = await countSignInAttempt('ada@example.com', '10.0.0.1', l).catch((e) => e);
    expect(err).toBeInstanceOf(TooManySignInAttemptsError);
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(err.message).toMatch(/Too many sign-in attempts/);
    // Another address, or another account, has its own budget.
    await expect(countSignInAttempt('ada@example.com', '10.0.0.2', l)).resolves.toBeUndefined();
    await expect(countSignInAttempt('bob@example.com', '10.0.0.1', l)).resolves.toBeUndefined();
  });
});

describe('clientIp', () => {
  it("believes X-Forwarded-For only behind a trusted proxy, from fetch Headers or next-auth's plain headers", () => {
    const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-real-ip': '198.51.100.1' };
    expect(clientIp(headers, true)).toBe('203.0.113.9');
    expect(clientIp(new Headers(headers), true)).toBe('203.0.113.9');
    expect(clientIp({ 'x-real-ip': '198.51.100.1' }, true)).toBe('198.51.100.1');
    expect(clientIp({ 'x-forwarded-for': ['203.0.113.7'] }, true)).toBe('203.0.113.7');
    expect(clientIp(headers, false)).toBe('direct');
    expect(clientIp(new Headers(headers), false)).toBe('direct');
    expect(clientIp(undefined, true)).toBe('unknown');
    expect(clientIp(new Headers(), true)).toBe('unknown');
  });
});
