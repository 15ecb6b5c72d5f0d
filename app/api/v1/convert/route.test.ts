// Route tests of POST /api/v1/convert: every status the endpoint can answer, with real images and a real worker pool.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { fixture, freshIp, jsonRequest, multipartRequest, ensureWorkerBundle } from '@/test/support/api';

// Small limits so the size and rate tests stay cheap; set before anything reads the config.
process.env.MAX_UPLOAD_BYTES = String(64 * 1024);
process.env.RATE_LIMIT_ANONYMOUS = '5';
process.env.WORKERS = '1';
process.env.CACHE_TYPE = 'none';
process.env.QUEUE_SIZE = '1';
process.env.TRUST_PROXY = 'true';
process.env.LOG_LEVEL = 'silent';
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-route-'));
process.env.DATABASE_URL = `file:${path.join(dbDir, 'app.db')}`;
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;

const { POST } = await import('./route');
const { getConvertPool } = await import('@/lib/worker-pool');
const { getConversion } = await import('@/lib/db/conversions');
const { disconnectDb, getDb } = await import('@/lib/db/client');
const { hashHistoryToken } = await import('@/lib/auth/history-token');
const { createUser } = await import('@/lib/db/users');
const { createApiKey, revokeApiKey } = await import('@/lib/auth/api-keys');
const conversionsRoute = await import('../conversions/route');
const conversionRoute = await import('../conversions/[id]/route');
const { getMetrics } = await import('@/lib/metrics');

/** Observations of the model-inference histogram for one model (inference runs in the worker threads). */
async function inferenceCount(model: string): Promise<number> {
  const { values } = await getMetrics().inference.get();
  const row = values.find(
    (v) => v.metricName === 'svgai_model_inference_duration_seconds_count' && v.labels.model === model,
  );
  return row?.value ?? 0;
}

const PROBLEM = 'application/problem+json';

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe(PROBLEM);
  const body = await res.json();
  expect(body.status).toBe(res.status);
  expect(typeof body.title).toBe('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  return body as { type: string; title: string; status: number; detail: string; errors?: { path: string }[] };
}

beforeAll(async () => {
  ensureWorkerBundle();
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL! });
});
afterAll(async () => {
  await getConvertPool().close();
  await disconnectDb();
  rmSync(dbDir, { recursive: true, force: true });
});

describe('POST /api/v1/convert success', () => {
  it('converts a multipart PNG to JSON with the SVG and its measurements', async () => {
    const classifierRuns = await inferenceCount('classifier');
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), { fields: { options: JSON.stringify({ quality: 'fast' }) } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.json();
    expect(body.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(body).toMatchObject({
      width: 256,
      height: 256,
      tier: expect.any(Number),
      type: expect.any(String),
    });
    expect(body.quality.ssim).toBeGreaterThan(0.8);
    expect(body.quality.ssim).toBeLessThanOrEqual(1);
    expect(body.quality.gmsd).toBeGreaterThanOrEqual(0);
    expect(body.quality.gmsd).toBeLessThan(0.2);
    expect(body.bytes).toBe(Buffer.byteLength(body.svg));
    expect(body.paths).toBeGreaterThan(0);
    expect(body.durationMs).toBeGreaterThan(0);
    expect(body.params.mode).toMatch(/color|mono/);
    // tier 1 converts once, and says whether the class target was met
    expect(body.iterations).toBe(1);
    expect(body.targetMet).toBe(body.quality.ssim >= body.target);
    expect(body.reason).toMatch(/target met|does not search/);
    // An anonymous caller gets a history cookie (httpOnly, SameSite=Lax, not readable by scripts)...
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^svgai_history=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const token = cookie.split(';')[0].split('=')[1];
    // ...and the history keeps only its hash, so the browser holding it can open the result again.
    const stored = await getDb().conversion.findUnique({ where: { id: body.id } });
    expect(stored?.browserTokenHash).toBe(hashHistoryToken(token));
    expect(stored?.browserTokenHash).not.toContain(token);
    const saved = await getConversion(body.id, { browserTokenHash: hashHistoryToken(token) });
    expect(saved?.svg).toBe(body.svg);
    expect(saved?.fileName).toBe('image.png');
    expect(saved?.ssim).toBeCloseTo(body.quality.ssim, 3);
    expect(saved?.gmsd).toBeCloseTo(body.quality.gmsd, 3);
    // The worker's classifier run reaches the main thread's inference metric.
    expect(await inferenceCount('classifier')).toBe(classifierRuns + 1);
  });

  it('accepts JSON with a base64 image (data: URL prefix too) and echoes the caller request id', async () => {
    const image = `data:image/jpeg;base64,${fixture('gradient.jpg').toString('base64')}`;
    const res = await POST(
      jsonRequest(
        { image, options: { mode: 'color', params: { colors: 8 } } },
        { 'x-request-id': 'test-req-42' },
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('test-req-42');
    const body = await res.json();
    expect(body.params.colors).toBe(8);
    expect(body.width).toBe(160);
    expect(body.height).toBe(120);
  });

  it('returns the SVG itself for Accept: image/svg+xml and for ?format=svg', async () => {
    for (const req of [
      multipartRequest(fixture('logo-256.png'), { headers: { accept: 'image/svg+xml' } }),
      multipartRequest(fixture('logo-256.png'), { query: '?format=svg' }),
    ]) {
      const res = await POST(req);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('image/svg+xml');
      expect(res.headers.get('x-conversion-id')).toBeTruthy();
      const text = await res.text();
      expect(text.startsWith('<svg')).toBe(true);
    }
  });

  it('accepts a raw image body with options in the query', async () => {
    const req = new Request('http://localhost/api/v1/convert?mode=mono', {
      method: 'POST',
      body: new Uint8Array(fixture('logo-256.png')),
      headers: { 'content-type': 'image/png', 'x-forwarded-for': freshIp() },
    });
    const res = await POST(req);
    expect(res.status).toBe(200);
    expect((await res.json()).params.mode).toBe('mono');
  });
});

describe('POST /api/v1/convert errors', () => {
  it('400 for options out of range, listing the offending field', async () => {
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), {
        fields: { options: JSON.stringify({ params: { colors: 1000 } }) },
      }),
    );
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p.errors?.map((e) => e.path)).toContain('params.colors');
  });

  it('400 for unknown options, malformed JSON and a missing file', async () => {
    const unknown = await POST(
      jsonRequest({ image: fixture('logo-256.png').toString('base64'), options: { sharpness: 3 } }),
    );
    expect(unknown.status).toBe(400);
    await problemOf(unknown);
    const malformed = await POST(jsonRequest('{"image": '));
    expect(malformed.status).toBe(400);
    await problemOf(malformed);
    const missing = await POST(multipartRequest(null, { fields: { mode: 'auto' } }));
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).errors?.[0].path).toBe('file');
    const badBase64 = await POST(jsonRequest({ image: 'not base64 at all!' }));
    expect(badBase64.status).toBe(400);
  });

  it('413 for a file over MAX_UPLOAD_BYTES, by multipart and by JSON', async () => {
    const noise = await sharp(randomBytes(200 * 200 * 3), { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    expect(noise.length).toBeGreaterThan(64 * 1024);
    const res = await POST(multipartRequest(noise));
    expect(res.status).toBe(413);
    await problemOf(res);
    const json = await POST(jsonRequest({ image: noise.toString('base64') }));
    expect(json.status).toBe(413);
  });

  it('413 for a pixel bomb that is small in bytes (6000x6000 in 35 KB)', async () => {
    const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#ffffff' } })
      .png({ compressionLevel: 9, palette: true })
      .toBuffer();
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await POST(multipartRequest(bomb));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).detail).toMatch(/pixel/i);
  });

  it('413 from Content-Length alone, before reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const req = new Request('http://localhost/api/v1/convert', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'image/png',
        'content-length': String(10 * 1024 * 1024),
        'x-forwarded-for': freshIp(),
      },
      duplex: 'half',
    } as RequestInit);
    const res = await POST(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('413 for an endless body without Content-Length, stopping soon after the cap', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const req = new Request('http://localhost/api/v1/convert', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', 'x-forwarded-for': freshIp() },
      duplex: 'half',
    } as RequestInit);
    const res = await POST(req);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 + 5 * 16 * 1024);
  });

  it('415 for text, SVG and an unsupported content type', async () => {
    const text = await POST(multipartRequest(fixture('not-an-image.txt'), { fileType: 'text/plain' }));
    expect(text.status).toBe(415);
    await problemOf(text);
    const svg = await POST(
      multipartRequest(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), {
        fileType: 'image/svg+xml',
      }),
    );
    expect(svg.status).toBe(415);
    const form = new Request('http://localhost/api/v1/convert', {
      method: 'POST',
      body: 'file=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() },
    });
    expect((await POST(form)).status).toBe(415);
  });

  it('422 for a truncated PNG', async () => {
    const res = await POST(multipartRequest(fixture('truncated.png')));
    expect(res.status).toBe(422);
    await problemOf(res);
  });

  it('429 with Retry-After once an anonymous client passes its limit', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await POST(
        multipartRequest(fixture('not-an-image.txt'), { headers: { 'x-forwarded-for': ip } }),
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([415, 415, 415, 415, 415]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    await problemOf(last!);
  });

  it('499, not a 500, when the client hangs up during the conversion', async () => {
    const controller = new AbortController();
    const base = multipartRequest(fixture('gradient.jpg'), {
      fileType: 'image/jpeg',
      fields: { options: '{"quality":"best"}' },
    });
    const pending = POST(new Request(base, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    const res = await pending;
    expect(res.status).toBe(499);
    expect((await problemOf(res)).title).toBe('Client closed request');
    // The cancelled conversion stops at its next step on its worker; the next conversion still works.
    expect(
      (await POST(multipartRequest(fixture('logo-256.png'), { fields: { options: '{"quality":"fast"}' } })))
        .status,
    ).toBe(200);
  });

  it('503 with Retry-After when every worker and queue slot is taken', async () => {
    // WORKERS=1, QUEUE_SIZE=1: two conversions fit, the rest are refused immediately.
    const image = fixture('gradient.jpg');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        POST(multipartRequest(image, { fileType: 'image/jpeg', fields: { options: '{"quality":"fast"}' } })),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await problemOf(r);
    }
  });
});

describe('API keys and the history endpoints (real database)', () => {
  it('records a keyed conversion for its user, lists it with history:read, and serves it by id', async () => {
    const user = await createUser({ email: `route-${Date.now()}@example.com` });
    const { key, record } = await createApiKey(user.id, 'route test', ['convert', 'history:read']);
    const convertOnly = await createApiKey(user.id, 'converter', ['convert']);
    const auth = { authorization: `Bearer ${key}` };

    const res = await POST(
      multipartRequest(fixture('logo-256.png'), { headers: auth, fields: { options: '{"quality":"fast"}' } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('600');
    const { id, svg } = await res.json();
    // Keys are not browsers: no history cookie for them.
    expect(res.headers.get('set-cookie')).toBeNull();
    const saved = await getConversion(id, { apiKeyId: record.id });
    expect(saved).toMatchObject({ userId: user.id, apiKeyId: record.id, source: 'api' });

    const list = await conversionsRoute.GET(
      new Request('http://localhost/api/v1/conversions?limit=5', { headers: auth }),
    );
    expect(list.status).toBe(200);
    const page = await list.json();
    expect(page.items.map((c: { id: string }) => c.id)).toEqual([id]);
    // A key made for converting may not read the history (403 insufficient_scope).
    const refused = await conversionsRoute.GET(
      new Request('http://localhost/api/v1/conversions', {
        headers: { authorization: `Bearer ${convertOnly.key}` },
      }),
    );
    expect(refused.status).toBe(403);

    const anonymousList = await conversionsRoute.GET(
      new Request('http://localhost/api/v1/conversions', { headers: { 'x-forwarded-for': freshIp() } }),
    );
    expect(anonymousList.status).toBe(401);

    const one = await conversionRoute.GET(
      new Request(`http://localhost/api/v1/conversions/${id}`, { headers: auth }),
      { params: Promise.resolve({ id }) },
    );
    expect(one.status).toBe(200);
    const detail = await one.json();
    expect(detail.svg).toBe(svg);
    expect(detail).not.toHaveProperty('inputHash');
    const missing = await conversionRoute.GET(
      new Request('http://localhost/api/v1/conversions/nope', { headers: auth }),
      { params: Promise.resolve({ id: 'nope' }) },
    );
    expect(missing.status).toBe(404);
    await problemOf(missing);
    // Without the key, the same id is as unknown as a made-up one.
    const anonymousOne = await conversionRoute.GET(
      new Request(`http://localhost/api/v1/conversions/${id}`, { headers: { 'x-forwarded-for': freshIp() } }),
      { params: Promise.resolve({ id }) },
    );
    expect(anonymousOne.status).toBe(404);
    expect((await problemOf(anonymousOne)).detail).toBe(`No conversion with id "${id}".`);

    // A revoked key stops working at once.
    await revokeApiKey(record.id, user.id);
    const revoked = await POST(multipartRequest(fixture('logo-256.png'), { headers: auth }));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('an anonymous browser lists and opens only what its own cookie converted', async () => {
    const convertAs = async (cookie?: string) => {
      const res = await POST(
        multipartRequest(fixture('logo-256.png'), {
          headers: cookie ? { cookie } : {},
          fields: { options: '{"quality":"fast"}' },
        }),
      );
      expect(res.status).toBe(200);
      return { id: (await res.json()).id as string, setCookie: res.headers.get('set-cookie') };
    };
    const first = await convertAs();
    const browserA = first.setCookie!.split(';')[0];
    // The same browser converting again keeps its cookie (no new one is issued).
    const second = await convertAs(`theme=dark; ${browserA}`);
    expect(second.setCookie).toBeNull();
    const other = await convertAs();
    const browserB = other.setCookie!.split(';')[0];
    expect(browserB).not.toBe(browserA);

    const list = (cookie: string) =>
      conversionsRoute.GET(
        new Request('http://localhost/api/v1/conversions', {
          headers: { cookie, 'x-forwarded-for': freshIp() },
        }),
      );
    const pageA = await (await list(browserA)).json();
    expect(pageA.items.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    const pageB = await (await list(browserB)).json();
    expect(pageB.items.map((c: { id: string }) => c.id)).toEqual([other.id]);

    const open = (id: string, cookie: string) =>
      conversionRoute.GET(
        new Request(`http://localhost/api/v1/conversions/${id}`, {
          headers: { cookie, 'x-forwarded-for': freshIp() },
        }),
        { params: Promise.resolve({ id }) },
      );
    expect((await open(first.id, browserA)).status).toBe(200);
    expect((await open(first.id, browserB)).status).toBe(404);
    expect((await open(other.id, browserA)).status).toBe(404);
  });

  it('401 for a made-up key instead of silently treating the caller as anonymous', async () => {
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), { headers: { 'x-api-key': 'svgai_not-a-real-key' } }),
    );
    expect(res.status).toBe(401);
    await problemOf(res);
  });
});
