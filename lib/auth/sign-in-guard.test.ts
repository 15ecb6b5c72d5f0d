// Sign-in throttling on the in-process stores: the backoff per account and address grows and then forgives, the
// address and global budgets refuse before hashing, and sign-ups are limited per address and overall.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/rate-limit';
import { admitSignUp, backoffSeconds, createMemoryStreakStore, createSignInGuard } from './sign-in-guard';

const limiter = (n: number, seconds = 60) =>
  createRateLimiter({ anonymous: n, apiKey: 0, windowSeconds: seconds });
const guard = (perAddress = 100, global = 1000) =>
  createSignInGuard({
    global: limiter(global),
    perAddress: limiter(perAddress, 600),
    streaks: createMemoryStreakStore(),
  });

describe('sign-in guard', () => {
  it('backs off per failure past five, doubling up to 15 minutes: slower, never locked', () => {
    expect([0, 4, 5, 6, 7, 10, 14, 15, 40].map(backoffSeconds)).toEqual([0, 0, 1, 2, 4, 32, 512, 900, 900]);
  });

  it('makes a failing pair wait, lets it try again after the wait, and forgets it on success', async () => {
    const g = guard();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(await g.admit('Ada@example.com', '198.51.100.1', t0 + i)).toBeNull();
      await g.settle('ada@example.com', '198.51.100.1', false, t0 + i);
    }
    expect(await g.admit('ada@example.com', '198.51.100.1', t0 + 10)).toEqual({
      reason: 'backoff',
      retryAfterSeconds: 1,
    });
    expect(await g.admit('ada@example.com', '198.51.100.1', t0 + 1_100)).toBeNull();
    await g.settle('ada@example.com', '198.51.100.1', false, t0 + 1_100);
    expect(await g.admit('ada@example.com', '198.51.100.1', t0 + 1_200)).toEqual({
      reason: 'backoff',
      retryAfterSeconds: 2,
    });
    // Another address, another account: unaffected.
    expect(await g.admit('ada@example.com', '198.51.100.2', t0 + 1_200)).toBeNull();
    expect(await g.admit('bob@example.com', '198.51.100.1', t0 + 1_200)).toBeNull();
    // After the wait the same pair may try again, and a success clears the streak.
    expect(await g.admit('ada@example.com', '198.51.100.1', t0 + 3_200)).toBeNull();
    await g.settle('ada@example.com', '198.51.100.1', true, t0 + 3_200);
    await g.settle('ada@example.com', '198.51.100.1', false, t0 + 3_300);
    expect(await g.admit('ada@example.com', '198.51.100.1', t0 + 3_301)).toBeNull();
  });

  it('counts an IPv6 client per /64, so rotating addresses buys no fresh backoff', async () => {
    const g = guard();
    for (let i = 0; i < 6; i++) await g.settle('ada@example.com', `2001:db8:5:6::${i + 1}`, false, 5_000);
    expect((await g.admit('ada@example.com', '2001:db8:5:6::99', 5_001))?.reason).toBe('backoff');
  });

  it('refuses past the per-address and the global budgets', async () => {
    const byAddress = guard(2);
    expect(await byAddress.admit('a@x.org', '198.51.100.3')).toBeNull();
    expect(await byAddress.admit('b@x.org', '198.51.100.3')).toBeNull();
    expect((await byAddress.admit('c@x.org', '198.51.100.3'))?.reason).toBe('address');
    const overall = guard(100, 2);
    await overall.admit('a@x.org', '198.51.100.4');
    await overall.admit('a@x.org', '198.51.100.5');
    expect((await overall.admit('a@x.org', '198.51.100.6'))?.reason).toBe('global');
  });
});

describe('sign-up limits', () => {
  it('allow a few accounts per address and hour, then say how long to wait', async () => {
    const limits = { perAddress: limiter(5, 3600), global: limiter(200, 3600) };
    const waits = [];
    for (let i = 0; i < 7; i++) waits.push(await admitSignUp('198.51.100.8', limits));
    expect(waits.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(waits[5]).toBeGreaterThan(0);
    expect(await admitSignUp('198.51.100.9', limits)).toBeNull();
  });
});
