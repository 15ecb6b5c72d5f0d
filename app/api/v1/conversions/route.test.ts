// Route tests of the history endpoints on a real SQLite database: every caller sees its own conversions only.
// Signed-in users sign in for real (next-auth's credentials flow through /api/auth) and the routes resolve the
// session from that cookie themselves: nothing is injected.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { freshIp } from '@/test/support/api';
import { cookieHeader, signIn } from '@/test/support/sign-in';

process.env.LOG_LEVEL = 'silent';
process.env.CACHE_TYPE = 'none';
process.env.TRUST_PROXY = 'true';
process.env.API_KEYS = 'static-operator-key-0123456789';
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-history-route-'));
process.env.DATABASE_URL = `file:${path.join(dbDir, 'app.db')}`;
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;

const listRoute = await import('./route');
const oneRoute = await import('./[id]/route');
const authRoute = await import('@/app/api/auth/[...nextauth]/route');
const { recordConversion } = await import('@/lib/db/conversions');
const { signUp } = await import('@/lib/auth/accounts');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { disconnectDb } = await import('@/lib/db/client');
const { createHistoryToken, hashHistoryToken, HISTORY_COOKIE } = await import('@/lib/auth/history-token');

type Ids = Record<'webA' | 'keyA' | 'scopedKeyA' | 'webB' | 'keyB' | 'anon1' | 'anon2' | 'staticKey', string>;
let ids: Ids;
let keys: { a: string; aHistory: string; b: string };
let sessionA: string;
let sessionB: string;
let browser1: string;
let browser2: string;

function record(over: Record<string, unknown>) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><path d="M0 0h2v2H0z"/><!--${Math.random()}--></svg>`;
  return recordConversion({
    inputHash: createHash('sha256').update(svg).digest('hex'),
    inputBytes: 100,
    fileName: 'x.png',
    width: 2,
    height: 2,
    type: 'simple',
    confidence: 0.9,
    tier: 1,
    mode: 'color',
    params: { colors: 2 },
    ssim: 0.99,
    psnr: 40,
    bytes: svg.length,
    paths: 1,
    durationMs: 3,
    svg,
    source: 'web',
    ...over,
  }).then((r) => r.id);
}

function req(url: string, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, { headers: { 'x-forwarded-for': freshIp(), ...headers } });
}

async function listed(headers: Record<string, string>, via = listRoute.GET): Promise<string[]> {
  const res = await via(req('/api/v1/conversions?limit=100', headers));
  expect(res.status).toBe(200);
  return ((await res.json()).items as { id: string }[]).map((c) => c.id).sort();
}

async function openStatus(id: string, headers: Record<string, string>, via = oneRoute.GET): Promise<number> {
  const res = await via(req(`/api/v1/conversions/${id}`, headers), { params: Promise.resolve({ id }) });
  if (res.status === 404) {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).detail).toBe(`No conversion with id "${id}".`);
  }
  return res.status;
}

beforeAll(async () => {
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL! });
  const a = await signUp({ email: 'a@example.com', password: 'password-of-a' });
  const b = await signUp({ email: 'b@example.com', password: 'password-of-b' });
  const signedIn = async (email: string, password: string) => {
    const { res, jar } = await signIn(authRoute, email, password);
    expect(res.status).toBe(200);
    return cookieHeader({ 'next-auth.session-token': jar['next-auth.session-token'] });
  };
  sessionA = await signedIn('a@example.com', 'password-of-a');
  sessionB = await signedIn('b@example.com', 'password-of-b');
  const keyA = await createApiKey(a.id, 'A convert', ['convert']);
  const keyAHistory = await createApiKey(a.id, 'A history', ['convert', 'history:read']);
  const keyB = await createApiKey(b.id, 'B convert', ['convert']);
  keys = { a: keyA.key, aHistory: keyAHistory.key, b: keyB.key };
  const t1 = createHistoryToken();
  const t2 = createHistoryToken();
  browser1 = `${HISTORY_COOKIE}=${t1}`;
  browser2 = `${HISTORY_COOKIE}=${t2}`;
  ids = {
    webA: await record({ userId: a.id }),
    keyA: await record({ userId: a.id, apiKeyId: keyA.record.id, source: 'api' }),
    scopedKeyA: await record({ userId: a.id, apiKeyId: keyAHistory.record.id, source: 'api' }),
    webB: await record({ userId: b.id }),
    keyB: await record({ userId: b.id, apiKeyId: keyB.record.id, source: 'api' }),
    anon1: await record({ browserTokenHash: hashHistoryToken(t1) }),
    anon2: await record({ browserTokenHash: hashHistoryToken(t2) }),
    // Static API_KEYS belong to no user and have no row: what they convert is owned by nobody.
    staticKey: await record({ source: 'api' }),
  };
});
afterAll(async () => {
  await disconnectDb();
  rmSync(dbDir, { recursive: true, force: true });
});

const sorted = (...xs: string[]) => [...xs].sort();
const all = () => Object.values(ids);

describe('GET /api/v1/conversions and /{id}: owners only', () => {
  it("a signed-in user lists and opens their own (browser and API keys), never user B's or a browser's", async () => {
    const mine = sorted(ids.webA, ids.keyA, ids.scopedKeyA);
    expect(await listed({ cookie: sessionA })).toEqual(mine);
    expect(await listed({ cookie: sessionB })).toEqual(sorted(ids.webB, ids.keyB));
    // GET /{id} ignored the session before: the list showed an item that then answered 404.
    for (const id of all()) {
      const status = await openStatus(id, { cookie: sessionA });
      expect([id, status]).toEqual([id, mine.includes(id) ? 200 : 404]);
    }
  });

  it('a session wins over a history cookie the same browser still carries', async () => {
    const cookie = `${browser1}; ${sessionB}`;
    expect(await listed({ cookie })).toEqual(sorted(ids.webB, ids.keyB));
    expect(await openStatus(ids.anon1, { cookie })).toBe(404);
  });

  it("an API key needs history:read, and then sees its user's whole history", async () => {
    const convertOnly: Record<string, string>[] = [
      { authorization: `Bearer ${keys.a}` },
      { 'x-api-key': keys.b },
    ];
    for (const headers of convertOnly) {
      const res = await listRoute.GET(req('/api/v1/conversions', headers));
      expect(res.status).toBe(403);
      expect((await res.json()).requiredScope).toBe('history:read');
      expect(await openStatus(ids.keyA, headers)).toBe(403);
    }
    expect(await listed({ authorization: `Bearer ${keys.aHistory}` })).toEqual(
      sorted(ids.webA, ids.keyA, ids.scopedKeyA),
    );
    expect(await openStatus(ids.webA, { authorization: `Bearer ${keys.aHistory}` })).toBe(200);
    expect(await openStatus(ids.webB, { authorization: `Bearer ${keys.aHistory}` })).toBe(404);
    expect(await openStatus(ids.anon1, { authorization: `Bearer ${keys.aHistory}` })).toBe(404);
  });

  it('an anonymous browser sees only its own; no cookie or a forged one sees nothing', async () => {
    expect(await listed({ cookie: browser1 })).toEqual([ids.anon1]);
    expect(await listed({ cookie: `a=b; ${browser2}` })).toEqual([ids.anon2]);
    for (const id of all()) {
      expect([id, await openStatus(id, { cookie: browser1 })]).toEqual([id, id === ids.anon1 ? 200 : 404]);
    }
    const one = await oneRoute.GET(req(`/api/v1/conversions/${ids.anon1}`, { cookie: browser1 }), {
      params: Promise.resolve({ id: ids.anon1 }),
    });
    const body = await one.json();
    expect(body.svg).toMatch(/^<svg/);
    expect(body).not.toHaveProperty('browserTokenHash');
    expect(body).not.toHaveProperty('userId');
    expect(one.headers.get('cache-control')).toContain('private');

    const stranger = `${HISTORY_COOKIE}=${createHistoryToken()}`;
    expect(await listed({ cookie: stranger })).toEqual([]);
    for (const headers of [
      {} as Record<string, string>,
      { cookie: `${HISTORY_COOKIE}=not-a-token` },
      { cookie: stranger },
    ]) {
      for (const id of all()) expect([id, await openStatus(id, headers)]).toEqual([id, 404]);
    }
    const noHistory = await listRoute.GET(req('/api/v1/conversions'));
    expect(noHistory.status).toBe(401);
  });

  it('a static API_KEYS key owns no history: 401 to list, 404 to open', async () => {
    const auth = { authorization: 'Bearer static-operator-key-0123456789' };
    expect((await listRoute.GET(req('/api/v1/conversions', auth))).status).toBe(401);
    expect(await openStatus(ids.staticKey, auth)).toBe(404);
    expect(await openStatus(ids.webA, auth)).toBe(404);
  });

  it("another owner's id as a page cursor is refused like an unknown one", async () => {
    const res = await listRoute.GET(req(`/api/v1/conversions?cursor=${ids.webB}`, { cookie: browser1 }));
    expect(res.status).toBe(400);
    const unknown = await listRoute.GET(req('/api/v1/conversions?cursor=nope', { cookie: browser1 }));
    expect((await res.json()).detail).toBe((await unknown.json()).detail);
  });
});
