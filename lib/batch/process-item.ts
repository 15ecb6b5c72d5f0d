/**
 * The one code path that converts a batch item, whichever queue delivered it: the same engine entry as the
 * API (convertWithCache: the result cache, then routeConversion on the worker-thread pool), then the history
 * row with its batch id and the item's result, written together exactly once.
 */
import { CONVERSION_PROBLEM_TYPES, createProblem } from '@/lib/api/problem';
import type { ConversionRequest } from '@/lib/ai/request';
import { getConfig } from '@/lib/config';
import { convertWithCache, type ConversionServices } from '@/lib/conversion';
import { getDb, type Db } from '@/lib/db/client';
import { recordConversion, toConversionRecord } from '@/lib/db/conversions';
import { isConversionError, type ConversionErrorKind } from '@/lib/errors/conversion-error';
import { getLogger } from '@/lib/log';
import { UnrecoverableJobError, type BatchJob, type JobAttempt, type JobOutcome } from './queue';
import { finishBatchIfDone, type ItemProblem } from './store';

/** What a bad input fails with: retrying cannot change the answer. */
const UNRECOVERABLE: readonly ConversionErrorKind[] = [
  'bad_options',
  'too_large',
  'unsupported_type',
  'undecodable',
];

export type ProcessServices = ConversionServices & {
  db?: () => Db;
  /** Called once per batch that this item finished (to deliver its webhook). */
  onBatchFinished?: (batchId: string) => void;
};

export function problemOf(error: unknown): ItemProblem {
  if (isConversionError(error)) {
    const detail = error.kind === 'internal' ? 'The conversion failed unexpectedly.' : error.message;
    return createProblem(error.status, CONVERSION_PROBLEM_TYPES[error.kind], detail) as ItemProblem;
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return createProblem(
      503,
      'overloaded',
      `The conversion took longer than ${getConfig().requestTimeoutMs} ms and was stopped.`,
    ) as ItemProblem;
  }
  return createProblem(500, 'internal', 'The conversion failed unexpectedly.') as ItemProblem;
}

export async function processBatchItem(
  job: BatchJob,
  attempt: JobAttempt,
  services: ProcessServices = {},
): Promise<JobOutcome> {
  const db = (services.db ?? getDb)();
  const item = await db.batchItem.findUnique({
    where: { id: job.itemId },
    include: {
      batch: {
        select: {
          id: true,
          options: true,
          source: true,
          userId: true,
          apiKeyId: true,
          browserTokenHash: true,
          cancelledAt: true,
        },
      },
    },
  });
  // the batch expired and was deleted, or this delivery is a duplicate of a finished job
  if (!item || item.state === 'done' || item.state === 'failed' || item.state === 'cancelled')
    return 'skipped';
  const finish = async (outcome: JobOutcome) => {
    if (await finishBatchIfDone(item.batchId, db)) services.onBatchFinished?.(item.batchId);
    return outcome;
  };
  const fail = async (problem: ItemProblem) => {
    await db.batchItem.updateMany({
      where: { id: item.id, state: { in: ['queued', 'running'] } },
      data: { state: 'failed', problem: problem as object, finishedAt: new Date(), leaseUntil: null },
    });
    return finish('failed');
  };
  if (attempt.attempt > attempt.maxAttempts) {
    return fail(
      createProblem(
        500,
        'internal',
        `The conversion was tried ${attempt.maxAttempts} times (its worker stopped each time) and given up.`,
      ) as ItemProblem,
    );
  }
  // A cancel that got here first wins: only a queued (or re-delivered running) item starts.
  const started = await db.batchItem.updateMany({
    where: { id: item.id, state: { in: ['queued', 'running'] } },
    data: { state: 'running', startedAt: new Date(), attempts: attempt.attempt },
  });
  if (started.count === 0) return 'cancelled';
  const source = item.inputHash
    ? await db.sourceImage.findUnique({ where: { hash: item.inputHash }, select: { bytes: true } })
    : null;
  if (!source) {
    await fail(createProblem(500, 'internal', 'The uploaded file is no longer stored.') as ItemProblem);
    throw new UnrecoverableJobError(`item ${item.id}: its upload is missing`);
  }
  const image = Buffer.from(source.bytes);
  const request = item.batch.options as unknown as ConversionRequest;
  let converted;
  try {
    converted = await convertWithCache(
      image,
      request,
      AbortSignal.timeout(getConfig().requestTimeoutMs),
      services,
    );
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    if ((isConversionError(error) && UNRECOVERABLE.includes(error.kind)) || timedOut) {
      await fail(problemOf(error));
      throw new UnrecoverableJobError(`item ${item.id}: ${(error as Error).message}`);
    }
    if (attempt.attempt >= attempt.maxAttempts) {
      await fail(problemOf(error));
      throw error;
    }
    // waits out the backoff as queued again
    await db.batchItem.updateMany({
      where: { id: item.id, state: 'running' },
      data: { state: 'queued' },
    });
    getLogger().warn({ err: error, itemId: item.id, attempt: attempt.attempt }, 'batch item will be retried');
    throw error;
  }
  const { result, inputHash } = converted;
  const record = toConversionRecord(result, {
    hash: inputHash,
    bytes: image.length,
    fileName: item.fileName,
    source: item.batch.source === 'web' ? 'web' : 'api',
    userId: item.batch.userId,
    apiKeyId: item.batch.apiKeyId?.startsWith('static:') ? null : item.batch.apiKeyId,
    browserTokenHash: item.batch.browserTokenHash,
    options: item.batch.options as Record<string, unknown>,
    inputType: item.inputType,
    batchId: item.batchId,
  });
  // Exactly once: the item is claimed as done and its history row written in one transaction, so a second
  // delivery of the same job (a worker killed after the commit, before BullMQ heard of it) records nothing.
  const recorded = await db.$transaction(async (tx) => {
    const claim = await tx.batchItem.updateMany({
      where: { id: item.id, conversionId: null, state: { in: ['queued', 'running'] } },
      data: {
        state: 'done',
        finishedAt: new Date(),
        leaseUntil: null,
        type: result.type,
        tier: result.tier,
        ssim: result.quality?.ssim ?? null,
        bytes: result.bytes,
        durationMs: result.durationMs,
        problem: undefined,
      },
    });
    if (claim.count === 0) return false;
    const { id } = await recordConversion(record, tx as unknown as Db);
    await tx.batchItem.update({ where: { id: item.id }, data: { conversionId: id } });
    return true;
  });
  return finish(recorded ? 'done' : 'skipped');
}
