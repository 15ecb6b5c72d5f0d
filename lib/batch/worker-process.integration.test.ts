// Durability with real processes: `scripts/worker.mjs` workers on BullMQ (the machine's Redis, DB 5) with a fresh
// PostgreSQL database, and on the embedded queue with a SQLite file. A worker is killed with SIGKILL while it
// converts an item; a second worker started afterwards finishes the batch: every item done exactly once (one
// history row each), and SIGTERM lets a worker finish and exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkerBundle } from '@/test/support/api';
import { batchRequest, browser, logoPng, waitFor } from '@/test/support/batch';
import { createTestDatabase, postgresTestsEnabled, type TestDatabase } from '@/test/support/test-databases';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const ITEMS = 8;

process.env.WORKERS = '1';
process.env.CACHE_TYPE = 'none';
process.env.LOG_LEVEL = 'silent';
process.env.RATE_LIMIT_ANONYMOUS = '0';
delete process.env.UPSTASH_REDIS_REST_URL;

const { withApi } = await import('@/lib/api/with-api');
const { createBatchHandlers } = await import('@/lib/api/batch-endpoints');
const { BullMqBatchQueue } = await import('./bullmq-queue');
const { EmbeddedBatchQueue } = await import('./embedded-queue');
const { resetConfig } = await import('@/lib/config');
const { disconnectDb, getDb } = await import('@/lib/db/client');

type Worker = { child: ChildProcess; exited: Promise<number | null>; output: () => string };

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['scripts/worker.mjs'], {
    env: {
      ...process.env,
      WORKERS: '1',
      WORKER_CONCURRENCY: '1',
      CACHE_TYPE: 'none',
      LOG_LEVEL: 'info',
      BATCH_STALLED_SECONDS: '2',
      SHUTDOWN_TIMEOUT_MS: '20000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, output: () => out };
}

async function submit(
  queue: InstanceType<typeof BullMqBatchQueue> | InstanceType<typeof EmbeddedBatchQueue>,
) {
  const handlers = createBatchHandlers({ queue: () => queue });
  const create = withApi({ route: '/api/v1/batches', scope: 'batch:write' }, handlers.create);
  const files = await Promise.all(
    Array.from({ length: ITEMS }, async (_, i) => ({ name: `icon-${i}.png`, bytes: await logoPng(i + 40) })),
  );
  // balanced quality: each item takes long enough that the kill lands inside one
  const res = await create(batchRequest(browser('192.0.2.50'), files, { quality: 'balanced' }));
  expect(res.status).toBe(202);
  return (await res.json()).id as string;
}

/** Kills a worker (SIGKILL) as soon as it converts an item, starts another, and checks the batch ends exactly once. */
async function killMidBatchAndRecover(batchId: string, env: Record<string, string>) {
  const first = startWorker(env);
  await waitFor(
    () => getDb().batchItem.count({ where: { batchId, state: 'running' } }),
    (n) => n > 0,
  );
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe(null); // killed, not exited
  const doneAtKill = await getDb().batchItem.count({ where: { batchId, state: 'done' } });
  expect(doneAtKill).toBeLessThan(ITEMS);
  const second = startWorker(env);
  try {
    await waitFor(
      () => getDb().batch.findUnique({ where: { id: batchId }, select: { finishedAt: true } }),
      (b) => b?.finishedAt != null,
      150_000,
    );
    const items = await getDb().batchItem.findMany({ where: { batchId } });
    expect(items.map((i) => i.state)).toEqual(Array(ITEMS).fill('done'));
    const rows = await getDb().conversion.findMany({ where: { batchId }, select: { id: true } });
    // exactly once: one history row per item, each the item's own
    expect(rows).toHaveLength(ITEMS);
    expect(new Set(items.map((i) => i.conversionId))).toEqual(new Set(rows.map((r) => r.id)));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/no new jobs/);
  } finally {
    if (second.child.exitCode === null) second.child.kill('SIGKILL');
  }
}

beforeAll(() => ensureWorkerBundle());

describe.skipIf(!postgresTestsEnabled())('BullMQ workers (Redis DB 5, PostgreSQL)', () => {
  let db: TestDatabase;
  let queue: InstanceType<typeof BullMqBatchQueue>;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb(); // DB 5 only: this suite's own
    db = await createTestDatabase('postgresql');
    process.env.DATABASE_URL = db.url;
    process.env.REDIS_URL = REDIS_URL;
    process.env.BATCH_QUEUE = 'bullmq';
    resetConfig();
    await disconnectDb();
    queue = new BullMqBatchQueue({ url: REDIS_URL, maxAttempts: 3, stalledMs: 2000 });
  });
  afterAll(async () => {
    await queue.close();
    await disconnectDb();
    await db.drop();
    await redis.flushdb();
    redis.disconnect();
  });

  it('a worker killed mid-job loses nothing: another worker picks the stalled job up, each item recorded once', async () => {
    const id = await submit(queue);
    expect((await queue.counts()).waiting).toBe(ITEMS);
    await killMidBatchAndRecover(id, { DATABASE_URL: db.url, REDIS_URL, BATCH_QUEUE: 'bullmq' });
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0 });
  }, 200_000);
});

describe('embedded queue (SQLite): a process restart mid-batch resumes it', () => {
  let db: TestDatabase;
  let queue: InstanceType<typeof EmbeddedBatchQueue>;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    process.env.DATABASE_URL = db.url;
    delete process.env.REDIS_URL;
    process.env.BATCH_QUEUE = 'embedded';
    resetConfig();
    await disconnectDb();
    queue = new EmbeddedBatchQueue({ maxAttempts: 3, leaseMs: 2000 });
  });
  afterAll(async () => {
    await queue.close();
    await disconnectDb();
    await db.drop();
  });

  it('the batch completes after the process converting it is killed and a new one starts', async () => {
    const id = await submit(queue);
    await killMidBatchAndRecover(id, { DATABASE_URL: db.url, BATCH_QUEUE: 'embedded', REDIS_URL: '' });
  }, 200_000);
});
