/**
 * The embedded batch queue: no Redis, the web process works off the BatchItem rows themselves. A job is claimed
 * by a conditional update (queued -> running with a lease that a heartbeat renews), so a restart, or a second
 * web process on the same PostgreSQL, resumes every unfinished item: a running item whose lease ran out (its
 * process died) is queued again.
 */
import { getDb, type Db } from '@/lib/db/client';
import { isShuttingDown } from '@/lib/lifecycle';
import { getLogger } from '@/lib/log';
import {
  retryDelayMs,
  UnrecoverableJobError,
  type BatchJob,
  type BatchQueue,
  type JobProcessor,
  type QueueCounts,
  type SettledListener,
} from './queue';

type EmbeddedSettings = {
  db?: () => Db;
  maxAttempts: number;
  /** How long a claimed item stays claimed without a heartbeat (the heartbeat renews it every third of it). */
  leaseMs: number;
  /** How often an idle queue looks for work it was not told about (another process's, a retry's backoff). */
  pollMs?: number;
};

export class EmbeddedBatchQueue implements BatchQueue {
  readonly kind = 'embedded' as const;
  readonly #settings: Required<EmbeddedSettings>;
  readonly #listeners: SettledListener[] = [];
  readonly #running = new Map<string, Promise<void>>();
  #processor: JobProcessor | null = null;
  #concurrency = 1;
  #timer: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #pumping = false;
  #again = false;
  #closed = false;

  constructor(settings: EmbeddedSettings) {
    this.#settings = { db: getDb, pollMs: 1000, ...settings };
  }

  get #db(): Db {
    return this.#settings.db();
  }

  async enqueue(_jobs: BatchJob[]): Promise<void> {
    // the rows are the jobs: they were written queued with the batch
    void _jobs;
    this.#wake();
  }

  async cancel(_jobs: BatchJob[]): Promise<void> {
    // the items' state is the queue: cancelled rows are never claimed
    void _jobs;
  }

  async counts(): Promise<QueueCounts> {
    const [waiting, active, oldest] = await Promise.all([
      this.#db.batchItem.count({ where: { state: 'queued' } }),
      this.#db.batchItem.count({ where: { state: 'running' } }),
      this.#db.batchItem.findFirst({
        where: { state: 'queued' },
        orderBy: { createdAt: 'asc' },
        select: { createdAt: true },
      }),
    ]);
    const oldestAgeSeconds = oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0;
    return { waiting, active, oldestAgeSeconds };
  }

  onSettled(listener: SettledListener): void {
    this.#listeners.push(listener);
  }

  startWorker(processor: JobProcessor, concurrency: number): void {
    if (this.#processor) return;
    this.#processor = processor;
    this.#concurrency = Math.max(1, concurrency);
    this.#timer = setInterval(() => this.#wake(), this.#settings.pollMs);
    this.#timer.unref();
    this.#heartbeat = setInterval(() => void this.#renewLeases(), Math.max(250, this.#settings.leaseMs / 3));
    this.#heartbeat.unref();
    this.#wake();
  }

  /** Jobs this process is running now. */
  running(): number {
    return this.#running.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await Promise.allSettled([...this.#running.values()]);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  #wake(): void {
    // a draining process takes no new work; what runs finishes (graceful shutdown waits for the pool)
    if (this.#closed || !this.#processor || isShuttingDown()) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#pump()
      .catch((err) => getLogger().warn({ err }, 'embedded batch queue could not claim work'))
      .finally(() => {
        this.#pumping = false;
        if (this.#again) {
          this.#again = false;
          this.#wake();
        }
      });
  }

  async #pump(): Promise<void> {
    await this.#requeueExpired();
    while (!this.#closed && !isShuttingDown() && this.#running.size < this.#concurrency) {
      const job = await this.#claim();
      if (!job) return;
      const run = this.#run(job.job, job.attempt).finally(() => {
        this.#running.delete(job.job.itemId);
        this.#wake();
      });
      this.#running.set(job.job.itemId, run);
    }
  }

  /** Items whose claim outlived its lease: their process is gone, so they wait again. */
  async #requeueExpired(): Promise<void> {
    await this.#db.batchItem.updateMany({
      where: { state: 'running', leaseUntil: { lt: new Date() } },
      data: { state: 'queued', leaseUntil: null },
    });
  }

  async #claim(): Promise<{ job: BatchJob; attempt: number } | null> {
    for (let tries = 0; tries < 5; tries++) {
      const next = await this.#db.batchItem.findFirst({
        where: { state: 'queued', availableAt: { lte: new Date() } },
        orderBy: [{ availableAt: 'asc' }, { createdAt: 'asc' }, { position: 'asc' }],
        select: { id: true, batchId: true, attempts: true },
      });
      if (!next) return null;
      const claimed = await this.#db.batchItem.updateMany({
        where: { id: next.id, state: 'queued' },
        data: {
          state: 'running',
          leaseUntil: new Date(Date.now() + this.#settings.leaseMs),
          attempts: { increment: 1 },
        },
      });
      // another process claimed it first: try the next one
      if (claimed.count === 1)
        return { job: { batchId: next.batchId, itemId: next.id }, attempt: next.attempts + 1 };
    }
    return null;
  }

  async #renewLeases(): Promise<void> {
    if (this.#running.size === 0) return;
    await this.#db.batchItem
      .updateMany({
        where: { id: { in: [...this.#running.keys()] }, state: 'running' },
        data: { leaseUntil: new Date(Date.now() + this.#settings.leaseMs) },
      })
      .catch((err) => getLogger().warn({ err }, 'embedded batch queue could not renew its leases'));
  }

  async #run(job: BatchJob, attempt: number): Promise<void> {
    const { maxAttempts } = this.#settings;
    let outcome;
    try {
      outcome = await this.#processor!(job, { attempt, maxAttempts });
    } catch (error) {
      if (error instanceof UnrecoverableJobError || attempt >= maxAttempts) {
        outcome = 'failed' as const;
      } else {
        outcome = 'retry' as const;
        // the processor put it back to queued; it waits out the backoff before anyone claims it again
        await this.#db.batchItem
          .updateMany({
            where: { id: job.itemId, state: 'queued' },
            data: { availableAt: new Date(Date.now() + retryDelayMs(attempt)), leaseUntil: null },
          })
          .catch(() => undefined);
      }
    }
    for (const listener of this.#listeners) listener(job, outcome);
  }
}
