/** Sends a finished batch's webhook (when it asked for one) and records the delivery on the batch. */
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { getLogger } from '@/lib/log';
import { progressOf } from './store';
import { deliverWebhook } from './webhook';

let pending = 0;

/** Webhooks being delivered (shutdown waits for them). */
export function pendingWebhooks(): number {
  return pending;
}

/** The webhook body: the batch id, its status and counts, and where to fetch the details and the zip. */
export function webhookPayload(batch: {
  id: string;
  cancelledAt: Date | null;
  finishedAt: Date | null;
  items: { state: string }[];
}) {
  const base = getConfig().app.url?.replace(/\/$/, '') ?? '';
  return {
    event: 'batch.finished',
    id: batch.id,
    status: batch.cancelledAt ? 'cancelled' : 'done',
    progress: progressOf(batch.items),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    links: {
      self: `${base}/api/v1/batches/${batch.id}`,
      download: `${base}/api/v1/batches/${batch.id}/download`,
    },
  };
}

/** Never rejects: it runs detached from the request or job that finished the batch (failures are logged). */
export async function notifyBatchFinished(batchId: string): Promise<void> {
  try {
    await notify(batchId);
  } catch (err) {
    getLogger().warn({ err, batchId }, 'batch webhook could not be sent');
  }
}

async function notify(batchId: string): Promise<void> {
  const db = getDb();
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    include: { items: { select: { state: true } } },
  });
  if (!batch?.callbackUrl) return;
  const { batch: settings } = getConfig();
  if (!settings.webhookSecret) return;
  pending++;
  try {
    await db.batch.update({ where: { id: batchId }, data: { webhookState: 'pending' } });
    let attempts = 0;
    const delivered = await deliverWebhook(batch.callbackUrl, webhookPayload(batch), {
      secret: settings.webhookSecret,
      allowPrivate: settings.webhookAllowPrivate,
      onAttempt: (attempt, outcome) => {
        attempts = attempt;
        if (!outcome.ok)
          getLogger().warn({ batchId, attempt, ...outcome }, 'batch webhook not delivered yet');
      },
    });
    await db.batch.update({
      where: { id: batchId },
      data: { webhookState: delivered ? 'delivered' : 'failed', webhookAttempts: attempts },
    });
  } catch (err) {
    getLogger().warn({ err, batchId }, 'batch webhook failed');
  } finally {
    pending--;
  }
}

/** A delivery (every try and its backoff) ends well within this: a webhook pending longer lost its process. */
const ORPHANED_AFTER_MS = 10 * 60_000;

/**
 * Sends the webhooks no process is sending: batches that finished over ten minutes ago whose webhook never
 * started (the process died between finishing the batch and sending) or stayed pending (it died mid-delivery).
 * Each is claimed by a conditional update first, so two processes never both send it. Returns how many it sent.
 */
export async function resumeOrphanedWebhooks(): Promise<number> {
  const db = getDb();
  const orphans = await db.batch.findMany({
    where: {
      callbackUrl: { not: null },
      finishedAt: { not: null, lt: new Date(Date.now() - ORPHANED_AFTER_MS) },
      OR: [{ webhookState: null }, { webhookState: 'pending' }],
    },
    select: { id: true, webhookState: true },
    take: 100,
  });
  let sent = 0;
  for (const orphan of orphans) {
    const claim = await db.batch.updateMany({
      where: { id: orphan.id, webhookState: orphan.webhookState },
      data: { webhookState: 'resending' },
    });
    if (claim.count !== 1) continue;
    await notifyBatchFinished(orphan.id);
    sent++;
  }
  return sent;
}
