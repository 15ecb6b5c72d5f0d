/**
 * Batches and their items in the database: the truth every queue adapter and process works from. Reads name
 * their owner (the history's rule, lib/auth historyOwnerOf), so nobody can see or cancel someone else's batch.
 */
import { getDb, type Db } from '@/lib/db/client';
import type { HistoryOwner } from '@/lib/db/conversions';

export const ITEM_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];
/** States an item never leaves. */
export const FINAL_STATES: readonly ItemState[] = ['done', 'failed', 'cancelled'];

export type ItemProblem = { type: string; title: string; status: number; detail?: string };

export type NewItem = {
  fileName: string;
  inputBytes: number;
  /** sha256 of the bytes kept as a SourceImage; absent for a file refused on arrival (with its `problem`). */
  inputHash?: string;
  inputType?: string;
  problem?: ItemProblem;
};

export type NewBatch = {
  owner: HistoryOwner;
  callerKey: string;
  options: Record<string, unknown>;
  formats: readonly string[];
  source: 'web' | 'api';
  callbackUrl?: string | null;
  items: NewItem[];
};

/** A prisma filter on the owner columns that can never be empty (`{ userId: undefined }` matches every row). */
export function ownerColumns(owner: HistoryOwner): {
  userId: string | null;
  apiKeyId: string | null;
  browserTokenHash: string | null;
} {
  const userId = 'userId' in owner ? owner.userId : null;
  const apiKeyId = 'apiKeyId' in owner ? owner.apiKeyId : null;
  const browserTokenHash = 'browserTokenHash' in owner ? owner.browserTokenHash : null;
  if ([userId, apiKeyId, browserTokenHash].filter((v) => typeof v === 'string' && v.length > 0).length !== 1)
    throw new Error('a batch owner names exactly one of userId, apiKeyId, browserTokenHash');
  return { userId, apiKeyId, browserTokenHash };
}

/** Creates the batch and its items in one transaction; items with a problem start (and stay) failed. */
export async function createBatch(input: NewBatch, db: Db = getDb()) {
  const owner = ownerColumns(input.owner);
  const now = new Date();
  return db.batch.create({
    data: {
      ...owner,
      callerKey: input.callerKey,
      options: input.options as object,
      formats: input.formats.join(' '),
      source: input.source,
      itemCount: input.items.length,
      callbackUrl: input.callbackUrl ?? null,
      items: {
        create: input.items.map((item, position) => ({
          position,
          fileName: item.fileName.slice(0, 255),
          inputBytes: item.inputBytes,
          inputHash: item.inputHash ?? null,
          inputType: item.inputType ?? null,
          state: item.problem ? 'failed' : 'queued',
          problem: (item.problem ?? undefined) as object | undefined,
          ...(item.problem ? { finishedAt: now } : {}),
        })),
      },
    },
    include: { items: { orderBy: { position: 'asc' }, select: { id: true, state: true } } },
  });
}

/** Batches of this caller that have not finished (the in-flight limit). */
export function countUnfinishedBatches(callerKey: string, db: Db = getDb()): Promise<number> {
  return db.batch.count({ where: { callerKey, finishedAt: null } });
}

const itemSelect = {
  id: true,
  position: true,
  fileName: true,
  state: true,
  inputBytes: true,
  inputType: true,
  problem: true,
  conversionId: true,
  type: true,
  tier: true,
  ssim: true,
  bytes: true,
  durationMs: true,
  attempts: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** The batch with its items in upload order when it exists AND belongs to `owner`; null otherwise. */
export async function getOwnedBatch(id: string, owner: HistoryOwner, db: Db = getDb()) {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  return db.batch.findFirst({
    where: { id, ...ownerColumns(owner) },
    include: { items: { orderBy: { position: 'asc' }, select: itemSelect } },
  });
}

export type OwnedBatch = NonNullable<Awaited<ReturnType<typeof getOwnedBatch>>>;
export type BatchItemView = OwnedBatch['items'][number];

/**
 * Cancels what has not run: every queued item becomes cancelled (running ones finish). Returns the items it
 * cancelled, for the queue to drop their jobs; null when the batch is not the owner's.
 */
export async function cancelBatchItems(
  id: string,
  owner: HistoryOwner,
  db: Db = getDb(),
): Promise<{ batchId: string; itemIds: string[] } | null> {
  const batch = await db.batch.findFirst({ where: { id, ...ownerColumns(owner) }, select: { id: true } });
  if (!batch) return null;
  const queued = await db.batchItem.findMany({
    where: { batchId: id, state: 'queued' },
    select: { id: true },
  });
  const now = new Date();
  await db.batchItem.updateMany({
    where: { batchId: id, state: 'queued' },
    data: { state: 'cancelled', finishedAt: now },
  });
  await db.batch.updateMany({ where: { id, cancelledAt: null }, data: { cancelledAt: now } });
  // an item claimed between the read and the update is running now: it is not among the cancelled ones
  const cancelled = await db.batchItem.findMany({
    where: { id: { in: queued.map((q) => q.id) }, state: 'cancelled' },
    select: { id: true },
  });
  return { batchId: id, itemIds: cancelled.map((c) => c.id) };
}

/**
 * Marks the batch finished once no item is queued or running. True for exactly one caller (the conditional
 * update decides), so the completion webhook is sent once even when the last items finish at the same time.
 */
export async function finishBatchIfDone(batchId: string, db: Db = getDb()): Promise<boolean> {
  const open = await db.batchItem.count({ where: { batchId, state: { in: ['queued', 'running'] } } });
  if (open > 0) return false;
  const won = await db.batch.updateMany({
    where: { id: batchId, finishedAt: null },
    data: { finishedAt: new Date() },
  });
  return won.count === 1;
}

/** Drops batches (and their items) finished more than `hours` ago; their conversions stay in the history. */
export async function deleteExpiredBatches(hours: number, db: Db = getDb()): Promise<number> {
  const before = new Date(Date.now() - hours * 3_600_000);
  const { count } = await db.batch.deleteMany({ where: { finishedAt: { lt: before } } });
  return count;
}

/** Summary counts of a batch's items by state. */
export function progressOf(items: readonly { state: string }[]): Record<ItemState, number> & {
  total: number;
  finished: number;
} {
  const counts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  for (const item of items) if (item.state in counts) counts[item.state as ItemState]++;
  return { ...counts, total: items.length, finished: counts.done + counts.failed + counts.cancelled };
}
