// The batch API end to end on the embedded queue, on a migrated SQLite file and a fresh PostgreSQL database:
// mixed good and bad files, zip uploads, the streamed results zip, owner-only access, cancel, limits, the signed
// webhook to a local server and the SSRF refusals. Real images, the real worker-thread pool, no mocks.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { batchStatusSchema } from './schemas';
import { ensureWorkerBundle, fixture } from '@/test/support/api';
import { batchRequest, browser, idRequest, logoPng, waitFor, zipOf, type Who } from '@/test/support/batch';
import {
  createTestDatabase,
  postgresTestsEnabled,
  TEST_PROVIDERS,
  type TestDatabase,
} from '@/test/support/test-databases';

process.env.WORKERS = '1';
process.env.CACHE_TYPE = 'none';
process.env.LOG_LEVEL = 'silent';
process.env.RATE_LIMIT_ANONYMOUS = '0';
process.env.BATCH_QUEUE = 'embedded';
process.env.BATCH_SIZE = '8';
process.env.BATCH_WEBHOOK_SECRET = 'a-webhook-secret-for-tests';
process.env.BATCH_STALLED_SECONDS = '5';
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;

const { withApi } = await import('./with-api');
const { createBatchHandlers } = await import('./batch-endpoints');
const { EmbeddedBatchQueue } = await import('@/lib/batch/embedded-queue');
const { processBatchItem } = await import('@/lib/batch/process-item');
const { notifyBatchFinished } = await import('@/lib/batch/notify');
const { resetConfig } = await import('@/lib/config');
const { disconnectDb, getDb } = await import('@/lib/db/client');
const { getConvertPool } = await import('@/lib/worker-pool');
const batchesRoute = await import('@/app/api/v1/batches/route');

type Queue = InstanceType<typeof EmbeddedBatchQueue>;
type BatchQueue = import('@/lib/batch/queue').BatchQueue;

function api(queue: BatchQueue) {
  const h = createBatchHandlers({ queue: () => queue });
  return {
    create: withApi({ route: '/api/v1/batches', scope: 'batch:write' }, h.create),
    get: (who: Who, id: string) =>
      withApi<{ id: string }>({ route: '/api/v1/batches/{id}', scope: 'batch:read' }, h.get)(
        idRequest(who, id),
        {
          params: Promise.resolve({ id }),
        },
      ),
    download: (who: Who, id: string) =>
      withApi<{ id: string }>({ route: '/api/v1/batches/{id}/download', scope: 'batch:read' }, h.download)(
        idRequest(who, id, '/download'),
        { params: Promise.resolve({ id }) },
      ),
    cancel: (who: Who, id: string) =>
      withApi<{ id: string }>({ route: '/api/v1/batches/{id}', scope: 'batch:write' }, h.cancel)(
        idRequest(who, id, '', 'DELETE'),
        { params: Promise.resolve({ id }) },
      ),
  };
}

function startWorker(queue: Queue) {
  queue.startWorker(
    (job, attempt) =>
      processBatchItem(job, attempt, { onBatchFinished: (id) => void notifyBatchFinished(id) }),
    2,
  );
}

async function useDatabase(provider: (typeof TEST_PROVIDERS)[number]): Promise<TestDatabase> {
  const db = await createTestDatabase(provider);
  process.env.DATABASE_URL = db.url;
  resetConfig();
  await disconnectDb();
  return db;
}

beforeAll(() => ensureWorkerBundle());
afterAll(async () => {
  await getConvertPool().close();
  await disconnectDb();
});

type BatchBody = z.infer<typeof batchStatusSchema>;

async function finished(a: ReturnType<typeof api>, who: Who, id: string): Promise<BatchBody> {
  return waitFor(
    async () => (await (await a.get(who, id)).json()) as BatchBody,
    (b) => b.finishedAt !== null,
  );
}

for (const provider of TEST_PROVIDERS) {
  describe.skipIf(provider === 'postgresql' && !postgresTestsEnabled())(`batches on ${provider}`, () => {
    let db: TestDatabase;
    let queue: Queue;
    let a: ReturnType<typeof api>;
    const owner = browser('192.0.2.20');

    beforeAll(async () => {
      process.env.BATCH_WEBHOOK_ALLOW_PRIVATE = 'true';
      db = await useDatabase(provider);
      queue = new EmbeddedBatchQueue({ maxAttempts: 3, leaseMs: 5000, pollMs: 200 });
      a = api(queue);
      startWorker(queue);
    });
    afterAll(async () => {
      await queue.close();
      await disconnectDb();
      await db.drop();
    });

    it('converts the good files of a mixed batch and fails only the bad ones, each with its problem', async () => {
      const files = [
        { name: 'one.png', bytes: await logoPng(1) },
        { name: 'two.png', bytes: await logoPng(2) },
        { name: 'notes.txt', bytes: fixture('not-an-image.txt') },
        { name: 'broken.png', bytes: fixture('truncated.png') },
      ];
      const res = await a.create(
        batchRequest(owner, files, { options: JSON.stringify({ quality: 'fast' }) }),
      );
      expect(res.status).toBe(202);
      const created = await res.json();
      expect(created).toMatchObject({ items: 4, failed: 1, status: 'queued' });
      expect(res.headers.get('location')).toBe(`/api/v1/batches/${created.id}`);

      const batch = await finished(a, owner, created.id);
      expect(batch.status).toBe('done');
      expect(batch.progress).toMatchObject({ total: 4, done: 2, failed: 2, finished: 4, percent: 100 });
      const byName = Object.fromEntries(batch.items.map((i) => [i.fileName, i]));
      expect(byName['notes.txt']).toMatchObject({ state: 'failed', problem: { status: 415 } });
      expect(byName['broken.png']).toMatchObject({ state: 'failed', problem: { status: 422 } });
      expect(byName['broken.png'].attempts).toBe(1); // bad input is never retried
      for (const name of ['one.png', 'two.png']) {
        expect(byName[name]).toMatchObject({ state: 'done', tier: expect.any(Number) });
        expect(byName[name].quality.ssim).toBeGreaterThan(0.8);
      }
      // every converted item is in the history once, with its batch id and the browser as owner
      const rows = await getDb().conversion.findMany({ where: { batchId: created.id } });
      expect(rows.map((r) => r.fileName).sort()).toEqual(['one.png', 'two.png']);
      expect(new Set(rows.map((r) => r.browserTokenHash)).size).toBe(1);
      expect(rows.map((r) => r.id).sort()).toEqual(
        [byName['one.png'].conversionId, byName['two.png'].conversionId].sort(),
      );
    });

    it('unpacks a zip (folders kept) and streams a results zip with the manifest and the extra formats', async () => {
      const upload = await zipOf({
        'icons/a.png': await logoPng(3),
        'icons/b.png': await logoPng(4),
        'readme.txt': 'not an image',
        '__MACOSX/icons/._a.png': 'resource fork',
      });
      const res = await a.create(
        batchRequest(owner, [{ name: 'icons.zip', bytes: upload }], { quality: 'fast', formats: 'pdf' }),
      );
      expect(res.status).toBe(202);
      const { id, items } = await res.json();
      expect(items).toBe(3);
      await finished(a, owner, id);

      const download = await a.download(owner, id);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/zip');
      const zip = await JSZip.loadAsync(Buffer.from(await download.arrayBuffer()));
      expect(Object.keys(zip.files).sort()).toEqual(
        [
          'icons/',
          'icons/a.pdf',
          'icons/a.svg',
          'icons/b.pdf',
          'icons/b.svg',
          'manifest.csv',
          'manifest.json',
        ].filter((n) => n !== 'icons/' || zip.files[n]),
      );
      expect(await zip.file('icons/a.svg')!.async('string')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect((await zip.file('icons/b.pdf')!.async('nodebuffer')).subarray(0, 5).toString()).toBe('%PDF-');
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      expect(manifest.formats).toEqual(['svg', 'pdf']);
      const rows = Object.fromEntries(manifest.items.map((r: { file: string }) => [r.file, r]));
      expect(rows['icons/a.png']).toMatchObject({ state: 'done', output: 'icons/a.svg', error: null });
      expect(rows['icons/a.png'].ssim).toBeGreaterThan(0.8);
      expect(rows['icons/a.png'].bytes).toBe((await zip.file('icons/a.svg')!.async('nodebuffer')).length);
      expect(rows['readme.txt']).toMatchObject({ state: 'failed', output: null });
      expect(rows['readme.txt'].error).toMatch(/text|not|image/i);
      const csv = (await zip.file('manifest.csv')!.async('string')).trim().split('\r\n');
      expect(csv[0]).toBe('file,state,output,type,tier,ssim,bytes,error');
      expect(csv).toHaveLength(4);
    });

    it('shows a batch only to its owner: another browser gets 404 for status, download and cancel', async () => {
      const res = await a.create(batchRequest(owner, [{ name: 'x.png', bytes: await logoPng(5) }]));
      const { id } = await res.json();
      const stranger = browser('192.0.2.21');
      for (const answer of [
        await a.get(stranger, id),
        await a.download(stranger, id),
        await a.cancel(stranger, id),
      ]) {
        expect(answer.status).toBe(404);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }
      expect((await a.get(owner, id)).status).toBe(200);
      await finished(a, owner, id);
    });

    it('notifies the callback URL once when the batch ends, signed with HMAC-SHA256 over the body', async () => {
      const received: { body: string; signature: string | undefined }[] = [];
      let calls = 0;
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          calls++;
          // the first delivery fails: the webhook is retried with backoff
          if (calls === 1) return res.writeHead(500).end();
          received.push({ body, signature: req.headers['x-signature'] as string | undefined });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      try {
        const res = await a.create(
          batchRequest(owner, [{ name: 'w.png', bytes: await logoPng(6) }], {
            callbackUrl: url,
            quality: 'fast',
          }),
        );
        expect(res.status).toBe(202);
        const { id } = await res.json();
        await waitFor(
          async () => (await a.get(owner, id)).json(),
          (b: { webhook: { state: string } }) => b.webhook.state === 'delivered',
        );
        expect(calls).toBe(2);
        expect(received).toHaveLength(1);
        const expected = `sha256=${createHmac('sha256', 'a-webhook-secret-for-tests').update(received[0].body).digest('hex')}`;
        expect(received[0].signature).toBe(expected);
        expect(JSON.parse(received[0].body)).toMatchObject({
          event: 'batch.finished',
          id,
          status: 'done',
          progress: { total: 1, done: 1 },
        });

        // A process that died before (or while) sending leaves the webhook unsent: the next one sends it, once.
        await getDb().batch.update({
          where: { id },
          data: { webhookState: null, finishedAt: new Date(Date.now() - 11 * 60_000) },
        });
        const { resumeOrphanedWebhooks } = await import('@/lib/batch/notify');
        const [first, second] = await Promise.all([resumeOrphanedWebhooks(), resumeOrphanedWebhooks()]);
        expect(first + second).toBe(1);
        expect(received).toHaveLength(2);
        expect(JSON.parse(received[1].body)).toMatchObject({ event: 'batch.finished', id, status: 'done' });
        expect(received[1].signature).toBe(
          `sha256=${createHmac('sha256', 'a-webhook-secret-for-tests').update(received[1].body).digest('hex')}`,
        );
        expect((await (await a.get(owner, id)).json()).webhook.state).toBe('delivered');
        expect(await resumeOrphanedWebhooks()).toBe(0);
      } finally {
        server.close();
      }
    });
  });
}

describe('batch limits, cancel and refusals (no worker running)', () => {
  let db: TestDatabase;
  let queue: Queue;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    process.env.BATCH_WEBHOOK_ALLOW_PRIVATE = 'false';
    process.env.BATCH_MAX_IN_FLIGHT = '2';
    process.env.BATCH_QUEUE_MAX = '6';
    process.env.BATCH_MAX_BYTES = String(1024 * 1024);
    db = await useDatabase('sqlite');
    queue = new EmbeddedBatchQueue({ maxAttempts: 3, leaseMs: 5000 });
    a = api(queue);
  });
  afterAll(async () => {
    delete process.env.BATCH_MAX_IN_FLIGHT;
    delete process.env.BATCH_QUEUE_MAX;
    delete process.env.BATCH_MAX_BYTES;
    await queue.close();
    await disconnectDb();
    await db.drop();
  });

  it('cancels what has not run; a worker started afterwards converts none of it', async () => {
    const who = browser('192.0.2.30');
    const files = await Promise.all(
      [7, 8, 9].map(async (i) => ({ name: `${i}.png`, bytes: await logoPng(i) })),
    );
    const { id } = await (await a.create(batchRequest(who, files))).json();
    const res = await a.cancel(who, id);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'cancelled', cancelledItems: 3, progress: { cancelled: 3 } });
    const late = new EmbeddedBatchQueue({ maxAttempts: 3, leaseMs: 5000, pollMs: 100 });
    startWorker(late);
    await new Promise((r) => setTimeout(r, 700));
    await late.close();
    expect(await getDb().conversion.count({ where: { batchId: id } })).toBe(0);
    expect((await (await a.get(who, id)).json()).progress.cancelled).toBe(3);
  });

  it('refuses a third unfinished batch of one caller with 429', async () => {
    const who = browser('192.0.2.31');
    for (let i = 0; i < 2; i++)
      expect(
        (await a.create(batchRequest(who, [{ name: 'a.png', bytes: await logoPng(10 + i) }]))).status,
      ).toBe(202);
    const res = await a.create(batchRequest(who, [{ name: 'a.png', bytes: await logoPng(12) }]));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });

  it('answers 503 with Retry-After once the queue is past its bound', async () => {
    const who = browser('192.0.2.32');
    const files = await Promise.all(
      [13, 14, 15, 16].map(async (i) => ({ name: `${i}.png`, bytes: await logoPng(i) })),
    );
    const full = await a.create(batchRequest(who, files));
    expect(full.status).toBe(202); // 2 + 4 = 6 waiting now
    const res = await a.create(batchRequest(browser('192.0.2.33'), files.slice(0, 1)));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect((await res.json()).type).toBe('/docs/api#problem-overloaded');
    // room again once that batch is cancelled
    expect((await a.cancel(who, (await full.json()).id)).status).toBe(200);
    expect((await a.create(batchRequest(browser('192.0.2.33'), files.slice(0, 1)))).status).toBe(202);
  });

  it('refuses bad requests with problem+json: too many files, no files, wrong type, bad options', async () => {
    const who = browser('192.0.2.34');
    const nine = await Promise.all(
      Array.from({ length: 9 }, async (_, i) => ({ name: `${i}.png`, bytes: await logoPng(i) })),
    );
    const tooMany = await a.create(batchRequest(who, nine));
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).detail).toMatch(/at most 8 files/);
    const none = await a.create(batchRequest(who, [], { quality: 'fast' }));
    expect(none.status).toBe(400);
    const wrongType = await a.create(
      new Request('http://localhost/api/v1/batches', {
        method: 'POST',
        body: '{}',
        headers: { ...who.headers, 'content-type': 'application/json' },
      }),
    );
    expect(wrongType.status).toBe(415);
    const badOptions = await a.create(
      batchRequest(who, [{ name: 'a.png', bytes: await logoPng(1) }], { options: '{"quality":"perfect"}' }),
    );
    expect(badOptions.status).toBe(400);
    expect((await badOptions.json()).errors[0].path).toMatch(/quality/);
    const badFormat = await a.create(
      batchRequest(who, [{ name: 'a.png', bytes: await logoPng(1) }], { formats: 'gif' }),
    );
    expect(badFormat.status).toBe(400);
  });

  it('refuses a zip whose unpacked images pass the byte limit (a zip bomb), before inflating it all', async () => {
    const who = browser('192.0.2.36');
    const bomb = await zipOf({
      'a.png': Buffer.alloc(4 * 1024 * 1024),
      'b.png': Buffer.alloc(4 * 1024 * 1024),
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await a.create(
      new Request('http://localhost/api/v1/batches', {
        method: 'POST',
        body: new Uint8Array(bomb),
        headers: { ...who.headers, 'content-type': 'application/zip' },
      }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toMatch(/add up to more than/);
  });

  it('exports the queue depth and the oldest job age as Prometheus gauges', async () => {
    const { registerMetricsProvider, renderMetrics } = await import('@/lib/metrics');
    registerMetricsProvider('batchQueue', () => queue.counts());
    const { body } = await renderMetrics();
    const depth = Number(/^svgai_batch_queue_depth (\S+)$/m.exec(body)?.[1]);
    const age = Number(/^svgai_batch_oldest_job_age_seconds (\S+)$/m.exec(body)?.[1]);
    expect(depth).toBe((await queue.counts()).waiting);
    expect(depth).toBeGreaterThan(0);
    expect(age).toBeGreaterThan(0);
    expect(body).toMatch(/# TYPE svgai_batch_jobs_total counter/);
  });

  it('refuses callback URLs to loopback, private, link-local and non-http targets (SSRF)', async () => {
    const who = browser('192.0.2.35');
    const png = await logoPng(1);
    for (const callbackUrl of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'ftp://example.com/hook',
      'http://user:pw@example.com/hook',
      'not a url',
    ]) {
      const res = await a.create(batchRequest(who, [{ name: 'a.png', bytes: png }], { callbackUrl }));
      expect(res.status, callbackUrl).toBe(400);
      const problem = await res.json();
      expect(problem.errors[0].path).toBe('callbackUrl');
    }
    expect(await getDb().batch.count({ where: { callerKey: { contains: '192.0.2.35' } } })).toBe(0);
  });

  it('API keys need the batch scopes; a key owns its batches for its user, another user gets 404', async () => {
    const { createUser } = await import('@/lib/db/users');
    const { createApiKey } = await import('@/lib/auth/api-keys');
    const alice = await createUser({ email: 'alice@example.org' });
    const bob = await createUser({ email: 'bob@example.org' });
    const convertOnly = (await createApiKey(alice.id, 'convert only', ['convert'])).key;
    const batchKey = (await createApiKey(alice.id, 'batches', ['batch:write', 'batch:read'])).key;
    const bobKey = (await createApiKey(bob.id, 'bob', ['batch:write', 'batch:read'])).key;
    const asKey = (key: string): Who => ({ headers: { authorization: `Bearer ${key}` } });
    const png = await logoPng(20);
    const refused = await a.create(batchRequest(asKey(convertOnly), [{ name: 'a.png', bytes: png }]));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('batch:write');
    const res = await a.create(batchRequest(asKey(batchKey), [{ name: 'a.png', bytes: png }]));
    expect(res.status).toBe(202);
    const { id } = await res.json();
    expect((await getDb().batch.findUnique({ where: { id } }))?.userId).toBe(alice.id);
    expect((await a.get(asKey(batchKey), id)).status).toBe(200);
    expect((await a.get(asKey(bobKey), id)).status).toBe(404);
    expect((await a.get(asKey(convertOnly), id)).status).toBe(403);
    await a.cancel(asKey(batchKey), id);
  });

  it('answers 503 with Retry-After while the BullMQ queue (Redis) cannot be reached, and keeps nothing', async () => {
    const { BullMqBatchQueue } = await import('@/lib/batch/bullmq-queue');
    // nothing listens on port 1
    const down = new BullMqBatchQueue({ url: 'redis://127.0.0.1:1/5', maxAttempts: 3, stalledMs: 2000 });
    try {
      const who = browser('192.0.2.37');
      const before = await getDb().batch.count();
      const res = await api(down).create(batchRequest(who, [{ name: 'a.png', bytes: await logoPng(21) }]));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await getDb().batch.count()).toBe(before);
    } finally {
      await down.close();
    }
  });

  it('the route itself declares its scope and refuses other methods', async () => {
    const res = await batchesRoute.GET(new Request('http://localhost/api/v1/batches'));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('POST');
  });
});
