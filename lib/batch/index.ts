/**
 * The batch service's process-wide parts: the queue adapter chosen by config (BullMQ with REDIS_URL, else the
 * embedded one), and the processing side, started by the worker process (`npm run worker`) or, for the embedded
 * queue, by the web process at boot.
 */
import { getConfig } from '@/lib/config';
import { onShutdown, registerBusySource } from '@/lib/lifecycle';
import { getLogger } from '@/lib/log';
import { recordBatchJob, registerMetricsProvider } from '@/lib/metrics';
import { BullMqBatchQueue } from './bullmq-queue';
import { EmbeddedBatchQueue } from './embedded-queue';
import { processBatchItem, type ProcessServices } from './process-item';
import type { BatchQueue } from './queue';
import { deleteExpiredBatches } from './store';
import { notifyBatchFinished, pendingWebhooks, resumeOrphanedWebhooks } from './notify';

export type { BatchQueue } from './queue';

const KEY = Symbol.for('svgai.batchQueue');
const WORKER_KEY = Symbol.for('svgai.batchWorker');
type Holder = { [KEY]?: BatchQueue; [WORKER_KEY]?: boolean };

export function createBatchQueue(): BatchQueue {
  const { batch, redis } = getConfig();
  const stalledMs = batch.stalledSeconds * 1000;
  if (batch.queue === 'bullmq') {
    return new BullMqBatchQueue({ url: redis.url!, maxAttempts: batch.attempts, stalledMs });
  }
  return new EmbeddedBatchQueue({ maxAttempts: batch.attempts, leaseMs: stalledMs });
}

/** The process's queue (adding jobs, counts, cancel); survives hot reload on globalThis. */
export function getBatchQueue(): BatchQueue {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const queue = createBatchQueue();
    holder[KEY] = queue;
    registerMetricsProvider('batchQueue', async () => {
      const { waiting, oldestAgeSeconds } = await queue.counts();
      return { waiting, oldestAgeSeconds };
    });
    onShutdown('batch-queue', async () => {
      delete holder[KEY];
      delete holder[WORKER_KEY];
      await queue.close();
    });
  }
  return holder[KEY];
}

/**
 * Starts converting batch items in this process, `concurrency` at a time (WORKER_CONCURRENCY, default the
 * pool's thread count); a second call is a no-op. Shutdown stops taking jobs and waits for the running ones.
 */
export function startBatchWorker(services: ProcessServices = {}): BatchQueue {
  const holder = globalThis as Holder;
  const queue = getBatchQueue();
  if (holder[WORKER_KEY]) return queue;
  holder[WORKER_KEY] = true;
  const { batch } = getConfig();
  queue.onSettled((_job, outcome) => {
    if (outcome === 'done' || outcome === 'failed' || outcome === 'cancelled') recordBatchJob(outcome);
  });
  queue.startWorker(
    (job, attempt) =>
      processBatchItem(job, attempt, {
        onBatchFinished: (batchId) => void notifyBatchFinished(batchId),
        ...services,
      }),
    batch.concurrency,
  );
  registerBusySource('batch-webhooks', () => pendingWebhooks());
  // Finished batches expire (their conversions stay in the history); webhooks a dead process left unsent go out.
  const housekeeping = () => {
    void deleteExpiredBatches(batch.retentionHours).catch((err) =>
      getLogger().warn({ err }, 'expired batches could not be deleted'),
    );
    void resumeOrphanedWebhooks().catch((err) =>
      getLogger().warn({ err }, 'orphaned batch webhooks could not be resumed'),
    );
  };
  housekeeping();
  const sweep = setInterval(housekeeping, 5 * 60_000);
  sweep.unref();
  onShutdown('batch-sweep', () => clearInterval(sweep));
  getLogger().info({ queue: queue.kind, concurrency: batch.concurrency }, 'batch worker started');
  return queue;
}
