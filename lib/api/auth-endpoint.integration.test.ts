// Sign-in, sessions and sign-out through the real /api/auth route (next-auth's credentials flow) on a migrated
// SQLite file: sessions end when signed out (a copied cookie stops working), lock-out cannot be aimed at an
// owner, sign-in is throttled before hashing, and callback URLs never leave our origin.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'next-auth/jwt';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { callAuth, cookieHeader, cookiesOf, signIn } from '@/test/support/sign-in';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';

process.env.CACHE_TYPE = 'none';
process.env.APP_URL = 'http://app.example.test:3000';
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-auth-route-'));
process.env.DATABASE_URL = `file:${path.join(dbDir, 'app.db')}`;
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;
delete process.env.NEXTAUTH_URL;

const authRoute = await import('@/app/api/auth/[...nextauth]/route');
const listRoute = await import('@/app/api/v1/conversions/route');
const { signUp } = await import('@/lib/auth/accounts');
const { endAllSessions, getCurrentUser, listSessions, resolveSession, SESSION_LIFETIME_SECONDS } =
  await import('@/lib/auth/sessions');
const { getAuthSecret } = await import('@/lib/auth/secret');
const { disconnectDb } = await import('@/lib/db/client');

const SESSION = 'next-auth.session-token';
const sessionCookie = (jar: Record<string, string>) => cookieHeader({ [SESSION]: jar[SESSION] });

async function listStatus(cookie: string): Promise<number> {
  const res = await listRoute.GET(
    new Request('http://localhost/api/v1/conversions', {
      headers: { cookie, [PEER_ADDRESS_HEADER]: '192.0.2.1' },
    }),
  );
  return res.status;
}

async function signOut(jar: Record<string, string>): Promise<Response> {
  const csrf = await callAuth(authRoute.GET, ['csrf'], { cookie: cookieHeader(jar) });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const withCsrf = { ...jar, ...cookiesOf(csrf) };
  return callAuth(authRoute.POST, ['signout'], {
    form: { csrfToken, json: 'true', callbackUrl: '/account' },
    cookie: cookieHeader(withCsrf),
  });
}

beforeAll(async () => {
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL! });
  await signUp({ email: 'owner@example.org', password: 'the-owners-password' });
  await signUp({ email: 'other@example.org', password: 'another-password' });
});
afterAll(async () => {
  await disconnectDb();
  rmSync(dbDir, { recursive: true, force: true });
});

describe('sessions', () => {
  it('signing out ends the session: a copy of the cookie taken before stops working at once', async () => {
    const { res, jar } = await signIn(authRoute, 'owner@example.org', 'the-owners-password');
    expect(res.status).toBe(200);
    const copied = sessionCookie(jar);
    expect(await listStatus(copied)).toBe(200);
    expect((await getCurrentUser(copied))?.email).toBe('owner@example.org');

    expect((await signOut(jar)).status).toBe(200);
    // The attack: the cookie copied before sign-out kept working for 30 days.
    expect(await listStatus(copied)).toBe(401);
    expect(await getCurrentUser(copied)).toBeNull();
    const session = await callAuth(authRoute.GET, ['session'], { cookie: copied });
    expect(await session.json()).toEqual({});
    // next-auth clears the dead cookie in the browser as well.
    expect(session.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=;`))).toBe(true);
  });

  it('"sign out everywhere" ends every session of the account and no one else\'s', async () => {
    const one = sessionCookie((await signIn(authRoute, 'owner@example.org', 'the-owners-password')).jar);
    const two = sessionCookie((await signIn(authRoute, 'owner@example.org', 'the-owners-password')).jar);
    const other = sessionCookie((await signIn(authRoute, 'other@example.org', 'another-password')).jar);
    const owner = (await getCurrentUser(one))!;
    expect((await listSessions(owner.id, owner.sessionId)).filter((s) => s.current)).toHaveLength(1);
    expect(await endAllSessions(owner.id)).toBeGreaterThanOrEqual(2);
    expect(await listStatus(one)).toBe(401);
    expect(await listStatus(two)).toBe(401);
    expect(await listStatus(other)).toBe(200);
    expect(await listSessions(owner.id, null)).toEqual([]);
  });

  it('lasts a week from sign-in, in the cookie and on the server', async () => {
    const { jar } = await signIn(authRoute, 'other@example.org', 'another-password');
    const claims = (await decode({ token: jar[SESSION], secret: getAuthSecret() }))!;
    expect(SESSION_LIFETIME_SECONDS).toBe(7 * 24 * 3600);
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(SESSION_LIFETIME_SECONDS);
    const cookie = sessionCookie(jar);
    const later = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000);
    expect(await resolveSession(cookie, { secure: false, now: later(6.9) })).not.toBeNull();
    expect(await resolveSession(cookie, { secure: false, now: later(7.1) })).toBeNull();
  });

  it('refuses a forged or foreign cookie', async () => {
    expect(await listStatus(`${SESSION}=not-a-jwt`)).toBe(401);
    expect(
      await resolveSession(`${SESSION}=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z`, { secure: false }),
    ).toBeNull();
  });
});

describe('sign-in throttling', () => {
  it("a guesser's failures slow that guesser down, never the owner signing in from elsewhere", async () => {
    const attacker = '198.51.100.66';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await signIn(authRoute, 'owner@example.org', `guess-${i}`, attacker)).res.status);
    // Five free failures, then a growing wait instead of a hash per guess.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const refused = await signIn(authRoute, 'owner@example.org', 'the-owners-password', attacker);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = await refused.res.json();
    expect(body).toMatchObject({ status: 429, title: 'Too many requests' });
    // next-auth's browser client reads the message from `url`'s error parameter.
    expect(new URL(body.url).searchParams.get('error')).toMatch(/Too many sign-in attempts/);

    // The owner, on another address, signs in at once: ten wrong guesses used to lock them out for 15 minutes.
    const owner = await signIn(authRoute, 'owner@example.org', 'the-owners-password', '203.0.113.200');
    expect(owner.res.status).toBe(200);
    expect(owner.jar[SESSION]).toBeTruthy();
  });

  it('caps attempts per address across accounts, before any password is hashed', async () => {
    const sprayer = '198.51.100.77';
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push((await signIn(authRoute, `nobody-${i}@example.org`, 'password', sprayer)).res.status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe('errors', () => {
  it("answers a wrong password with a 401 problem that next-auth's client still reads", async () => {
    const { res } = await signIn(authRoute, 'other@example.org', 'not-the-password', '192.0.2.77');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Wrong email or password.' });
    expect(new URL(body.url).searchParams.get('error')).toBe('CredentialsSignin');
  });

  it('answers actions and providers this app does not use with a 404 problem', async () => {
    for (const [method, action] of [
      ['POST', ['callback', 'github']],
      ['GET', ['callback', 'credentials']],
      ['POST', ['session', 'x', 'y']],
      ['GET', ['nope']],
      ['POST', ['csrf']],
    ] as const) {
      const res = await callAuth(method === 'GET' ? authRoute.GET : authRoute.POST, [...action], {
        method,
        ...(method === 'POST' ? { form: { a: 'b' } } : {}),
      });
      expect(res.status, action.join('/')).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('origin and callback URLs', () => {
  it('builds sign-in answers from APP_URL, never from Host or X-Forwarded-Host', async () => {
    const csrf = await authRoute.GET(
      new Request('http://evil.example/api/auth/csrf', {
        headers: {
          host: 'evil.example',
          'x-forwarded-host': 'evil.example',
          [PEER_ADDRESS_HEADER]: '192.0.2.9',
        },
      }),
      { params: Promise.resolve({ nextauth: ['csrf'] }) },
    );
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await authRoute.POST(
      new Request('http://evil.example/api/auth/signin/credentials', {
        method: 'POST',
        headers: {
          host: 'evil.example',
          'x-forwarded-host': 'evil.example',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: cookieHeader(jar),
          [PEER_ADDRESS_HEADER]: '192.0.2.9',
        },
        body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
      }),
      { params: Promise.resolve({ nextauth: ['signin', 'credentials'] }) },
    );
    const { url } = (await res.json()) as { url: string };
    expect(new URL(url).origin).toBe('http://app.example.test:3000');
  });

  it('refuses a callback URL off our origin, or one carrying a newline, with a 400 problem (never a 500)', async () => {
    for (const callbackUrl of [
      'http://evil.example/',
      '//evil.example',
      '/account\n[next-auth][error] forged',
      'javascript:alert(1)',
    ]) {
      const res = await authRoute.GET(
        new Request(`http://localhost/api/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, {
          headers: { [PEER_ADDRESS_HEADER]: '192.0.2.10' },
        }),
        { params: Promise.resolve({ nextauth: ['signin'] }) },
      );
      expect(res.status, callbackUrl).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    // A callback cookie next-auth would choke on is ignored rather than answered with a 500.
    const res = await callAuth(authRoute.GET, ['session'], {
      cookie: 'next-auth.callback-url=http%3A%2F%2Fevil.example%2F%0Aforged',
    });
    expect(res.status).toBe(200);
  });
});
