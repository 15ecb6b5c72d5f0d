/**
 * The batch queue adapter: what the batch service needs from a queue, whatever runs it. Two implementations:
 * BullMQ on Redis (bullmq-queue.ts; workers are separate processes) and the embedded one (embedded-queue.ts; the
 * web process works off the BatchItem rows in the database). Everything above this interface is one code path.
 */

/** One job: convert one item of one batch. The item's row holds everything else (lib/batch/store.ts). */
export type BatchJob = { batchId: string; itemId: string };

/** Which try this is; a processor marks the item failed itself on the last one. */
export type JobAttempt = { attempt: number; maxAttempts: number };

export type JobOutcome = 'done' | 'failed' | 'cancelled' | 'skipped' | 'retry';

/**
 * Converts one item. Throws UnrecoverableJobError for bad input (never retried) and any other error for a
 * transient failure (retried with backoff until the attempts run out).
 */
export type JobProcessor = (job: BatchJob, attempt: JobAttempt) => Promise<JobOutcome>;

export type QueueCounts = {
  /** Jobs waiting to run, including those waiting out a retry backoff. */
  waiting: number;
  active: number;
  /** Seconds the oldest waiting job has waited; 0 when none waits. */
  oldestAgeSeconds: number;
};

export type SettledListener = (job: BatchJob, outcome: JobOutcome) => void;

export interface BatchQueue {
  readonly kind: 'bullmq' | 'embedded';
  /** Makes the jobs available to workers; adding a job that is already queued is a no-op. */
  enqueue(jobs: BatchJob[]): Promise<void>;
  /** Takes jobs that have not started out of the queue (a running job finishes; its processor sees the state). */
  cancel(jobs: BatchJob[]): Promise<void>;
  counts(): Promise<QueueCounts>;
  /** Starts taking jobs in this process, `concurrency` at a time. */
  startWorker(processor: JobProcessor, concurrency: number): void;
  /** Called in the process that ran the job, once per settled job. */
  onSettled(listener: SettledListener): void;
  /** Stops taking jobs, lets the running ones finish (or hands them back), and closes connections. */
  close(): Promise<void>;
}

/** Bad input: the job fails at once and is never retried. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableJobError';
  }
}

/** Delay before try `attempt + 1` after a transient failure: 1 s, 2 s, 4 s ... capped at a minute. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
}
