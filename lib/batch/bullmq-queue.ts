/**
 * The batch queue on BullMQ (Redis): the web process only adds jobs; `npm run worker` processes take them,
 * each running `concurrency` at a time on its own worker-thread pool. A job is retried with exponential
 * backoff on a transient failure, failed at once on bad input (UnrecoverableError), and a job whose worker
 * was killed is found stalled (its lock not renewed) and handed to another worker.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { getLogger } from '@/lib/log';
import {
  UnrecoverableJobError,
  type BatchJob,
  type BatchQueue,
  type JobOutcome,
  type JobProcessor,
  type QueueCounts,
  type SettledListener,
} from './queue';

export const BATCH_QUEUE_NAME = 'svgai-batch';

/** BullMQ waits for its connection indefinitely; the web process's calls give up after this instead. */
const CALL_TIMEOUT_MS = 3_000;

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} in time`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

type BullSettings = {
  url: string;
  maxAttempts: number;
  /** Lock duration and stalled-check interval: a killed worker's job is picked up again within about twice it. */
  stalledMs: number;
  /** Key prefix (tests use their own). */
  prefix?: string;
};

export class BullMqBatchQueue implements BatchQueue {
  readonly kind = 'bullmq' as const;
  readonly #settings: BullSettings;
  readonly #listeners: SettledListener[] = [];
  readonly #connections: Redis[] = [];
  #queue: Queue<BatchJob, JobOutcome> | null = null;
  #worker: Worker<BatchJob, JobOutcome> | null = null;

  constructor(settings: BullSettings) {
    this.#settings = settings;
  }

  #connection(forWorker: boolean): Redis {
    // BullMQ wants its own connections: a worker's blocking commands must never time out (maxRetriesPerRequest
    // null), while the web process's adds fail fast instead of queueing while Redis is down.
    const connection = new Redis(this.#settings.url, {
      maxRetriesPerRequest: forWorker ? null : 1,
      enableOfflineQueue: forWorker,
      connectTimeout: 2_000,
    });
    connection.on('error', (err) => getLogger().debug({ err }, 'batch queue redis connection error'));
    this.#connections.push(connection);
    return connection;
  }

  get #q(): Queue<BatchJob, JobOutcome> {
    this.#queue ??= new Queue<BatchJob, JobOutcome>(BATCH_QUEUE_NAME, {
      connection: this.#connection(false),
      ...(this.#settings.prefix ? { prefix: this.#settings.prefix } : {}),
    });
    return this.#queue;
  }

  async enqueue(jobs: BatchJob[]): Promise<void> {
    const queue = this.#q;
    for (let i = 0; i < jobs.length; i += 500) {
      await within(
        queue.addBulk(
          jobs.slice(i, i + 500).map((data) => ({
            name: 'convert',
            data,
            opts: {
              // the item id: adding the same job twice keeps one
              jobId: data.itemId,
              attempts: this.#settings.maxAttempts,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: { age: 3600, count: 10_000 },
              removeOnFail: { age: 24 * 3600 },
            },
          })),
        ),
        'adding jobs',
      );
    }
  }

  async cancel(jobs: BatchJob[]): Promise<void> {
    const queue = this.#q;
    // a job that started holds its lock and cannot be removed: its processor sees the item cancelled or finishes it
    await within(
      Promise.all(jobs.map((job) => queue.remove(job.itemId).catch(() => 0))),
      'removing jobs',
    ).catch(() => undefined);
  }

  async counts(): Promise<QueueCounts> {
    const queue = this.#q;
    const [counts, [oldest]] = await within(
      Promise.all([
        queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active'),
        queue.getJobs(['waiting'], 0, 0, true),
      ]),
      'the queue counts',
    );
    return {
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      oldestAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0,
    };
  }

  onSettled(listener: SettledListener): void {
    this.#listeners.push(listener);
  }

  startWorker(processor: JobProcessor, concurrency: number): void {
    if (this.#worker) return;
    const { stalledMs, maxAttempts } = this.#settings;
    this.#worker = new Worker<BatchJob, JobOutcome>(
      BATCH_QUEUE_NAME,
      async (job: Job<BatchJob, JobOutcome>) => {
        const attempt = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? maxAttempts };
        try {
          return await processor(job.data, attempt);
        } catch (error) {
          if (error instanceof UnrecoverableJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        connection: this.#connection(true),
        concurrency,
        lockDuration: stalledMs,
        stalledInterval: stalledMs,
        // a job whose worker died is retried as often as a failing one
        maxStalledCount: maxAttempts,
        ...(this.#settings.prefix ? { prefix: this.#settings.prefix } : {}),
      },
    );
    this.#worker.on('completed', (job, outcome) => this.#settled(job.data, outcome));
    this.#worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.#settled(job.data, final ? 'failed' : 'retry');
    });
    this.#worker.on('error', (err) => getLogger().warn({ err }, 'batch worker error'));
  }

  #settled(job: BatchJob, outcome: JobOutcome): void {
    for (const listener of this.#listeners) listener(job, outcome);
  }

  #closing: Promise<void> | null = null;

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Worker.close() waits for the running jobs, then releases the connection; the queue closes after.
    await this.#worker?.close();
    // a queue that never reached Redis would wait for it forever
    await within(this.#queue?.close() ?? Promise.resolve(), 'closing the queue').catch(() => undefined);
    for (const c of this.#connections) c.disconnect();
  }
}
