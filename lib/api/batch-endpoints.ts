/**
 * The batch API: POST /api/v1/batches (many files or one zip, answered 202 at once), GET /api/v1/batches/{id}
 * (status and every item), GET /api/v1/batches/{id}/download (the results zip, streamed) and DELETE (cancels
 * what has not run). Only the owner sees a batch (the history's rule): anyone else gets 404.
 */
import { historyOwnerOf, type Caller } from '@/lib/auth/caller';
import { getConfig } from '@/lib/config';
import type { HistoryOwner } from '@/lib/db/conversions';
import { storeSourceImage } from '@/lib/db/conversions';
import { getBatchQueue, type BatchQueue } from '@/lib/batch';
import { batchZipStream } from '@/lib/batch/download';
import { BatchIntakeError, expandUploads, type UploadedFile } from '@/lib/batch/intake';
import { notifyBatchFinished } from '@/lib/batch/notify';
import {
  cancelBatchItems,
  countUnfinishedBatches,
  createBatch,
  finishBatchIfDone,
  getOwnedBatch,
  progressOf,
  type OwnedBatch,
} from '@/lib/batch/store';
import { CallbackUrlError, parseCallbackUrl, resolveCallbackAddresses } from '@/lib/batch/webhook';
import { getDb } from '@/lib/db/client';
import { contentDisposition } from './content-disposition';
import { historyCookieFor } from './convert-endpoint';
import { ApiError } from './problem';
import { parseMultipart, readBodyCapped, tooLarge } from './read-body';
import { batchRequestSchema, type BatchRequest } from './schemas';
import { admitUpload } from './upload-admission';
import type { ApiContext } from './with-api';

const PRIVATE = { 'cache-control': 'private, no-store', vary: 'authorization, x-api-key, cookie' };
/** Room for multipart boundaries and part headers around the files. */
const MULTIPART_OVERHEAD = 1024 * 1024;

export type BatchServices = { queue?: () => BatchQueue };

/** Whose batch this is: the history owner; a static API_KEYS key owns its batches by its key id. */
function batchOwnerOf(caller: Caller): HistoryOwner | null {
  const owner = historyOwnerOf(caller);
  if (owner) return owner;
  return caller.kind === 'apiKey' ? { apiKeyId: caller.keyId } : null;
}

function notFound(id: string): ApiError {
  return new ApiError(404, 'not-found', `No batch with id "${id.slice(0, 64)}".`);
}

function links(id: string) {
  return { self: `/api/v1/batches/${id}`, download: `/api/v1/batches/${id}/download` };
}

export function createBatchHandlers(services: BatchServices = {}) {
  const queue = () => (services.queue ?? getBatchQueue)();

  async function create(request: Request, ctx: ApiContext): Promise<Response> {
    const config = getConfig();
    const { batch: limits } = config;
    const cap = limits.maxBytes + MULTIPART_OVERHEAD;
    const declared = request.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > cap)
      throw tooLarge(Number(declared), limits.maxBytes);
    const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
    const multipart = contentType.startsWith('multipart/form-data');
    const rawZip = contentType.startsWith('application/zip') || contentType.startsWith('application/x-zip');
    if (!multipart && !rawZip) {
      throw new ApiError(
        415,
        'unsupported-type',
        'Send the files as multipart/form-data (field "files", repeated, or one zip) or a zip body (Content-Type: application/zip).',
      );
    }
    // Refusals that cost nothing come before the body is read: a full queue, too many batches in flight.
    const counts = await queue()
      .counts()
      .catch((error: unknown) => {
        throw new ApiError(
          503,
          'overloaded',
          `The batch queue is unavailable (${(error as Error).message}); retry later.`,
          { headers: { 'retry-after': '10' } },
        );
      });
    if (counts.waiting >= limits.queueMax) {
      throw new ApiError(
        503,
        'overloaded',
        `The batch queue is full (${counts.waiting} jobs waiting); retry later.`,
        { headers: { 'retry-after': '30' } },
      );
    }
    const unfinished = await countUnfinishedBatches(ctx.caller.id);
    if (unfinished >= limits.maxInFlight) {
      throw new ApiError(
        429,
        'rate-limited',
        `You have ${unfinished} unfinished batches (at most ${limits.maxInFlight} at once); wait for one to finish or cancel one.`,
        { headers: { 'retry-after': '10' } },
      );
    }
    const history = historyCookieFor(request, ctx);
    const owner = history.browserTokenHash
      ? { browserTokenHash: history.browserTokenHash }
      : batchOwnerOf(ctx.caller);
    if (!owner) throw new ApiError(401, 'unauthorized', 'This caller cannot own a batch.');
    const release = admitUpload(request, cap, { poolHasRoom: () => true });
    try {
      const { files, fields } = await readFiles(request, ctx, { cap, maxBytes: limits.maxBytes, multipart });
      const parsed = ctx.parse(batchRequestSchema, fields, 'batch options');
      const callbackUrl = await checkCallback(parsed, config.batch);
      let items;
      try {
        items = await expandUploads(files, {
          maxFiles: limits.maxFiles,
          maxBatchBytes: limits.maxBytes,
          maxFileBytes: config.limits.maxBytes,
        });
      } catch (error) {
        if (!(error instanceof BatchIntakeError)) throw error;
        throw error.status === 413
          ? new ApiError(413, 'too-large', error.message, {
              extensions: { maxFiles: limits.maxFiles, maxBytes: limits.maxBytes },
            })
          : new ApiError(400, 'bad-request', error.message);
      }
      // the originals first (once per content): a queued item never points at bytes that are missing
      const stored = new Set<string>();
      for (const item of items) {
        if (!item.image || stored.has(item.image.hash)) continue;
        stored.add(item.image.hash);
        await storeSourceImage({
          hash: item.image.hash,
          mimeType: item.image.mimeType,
          bytes: item.image.bytes,
        });
      }
      const batch = await createBatch({
        owner,
        callerKey: ctx.caller.id,
        options: parsed.options,
        formats: parsed.formats.filter((f) => f !== 'svg'),
        source: request.headers.get('x-svgai-client') === 'web' ? 'web' : 'api',
        callbackUrl,
        items: items.map((item) => ({
          fileName: item.fileName,
          inputBytes: item.inputBytes,
          inputHash: item.image?.hash,
          inputType: item.image?.mimeType,
          problem: item.problem,
        })),
      });
      const jobs = batch.items
        .filter((i) => i.state === 'queued')
        .map((i) => ({ batchId: batch.id, itemId: i.id }));
      try {
        await queue().enqueue(jobs);
      } catch (error) {
        await getDb().batch.delete({ where: { id: batch.id } });
        throw new ApiError(
          503,
          'overloaded',
          `The batch queue is unavailable (${(error as Error).message}); retry later.`,
          {
            headers: { 'retry-after': '10' },
          },
        );
      }
      // a batch of refused files only is finished at once
      if (jobs.length === 0 && (await finishBatchIfDone(batch.id))) void notifyBatchFinished(batch.id);
      const headers: Record<string, string> = {
        location: links(batch.id).self,
        'cache-control': 'no-store',
        ...(history.setCookie ? { 'set-cookie': history.setCookie } : {}),
      };
      return Response.json(
        {
          id: batch.id,
          status: jobs.length === 0 ? 'done' : 'queued',
          items: batch.items.length,
          failed: batch.items.length - jobs.length,
          links: links(batch.id),
        },
        { status: 202, headers },
      );
    } finally {
      release();
    }
  }

  async function get(_request: Request, ctx: ApiContext, params: { id: string }): Promise<Response> {
    const batch = await owned(ctx, params.id);
    return Response.json(batchView(batch), { headers: PRIVATE });
  }

  async function download(_request: Request, ctx: ApiContext, params: { id: string }): Promise<Response> {
    const batch = await owned(ctx, params.id);
    return new Response(batchZipStream(batch), {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': contentDisposition(`batch-${batch.id}`, 'zip'),
        'x-content-type-options': 'nosniff',
        ...PRIVATE,
      },
    });
  }

  async function cancel(_request: Request, ctx: ApiContext, params: { id: string }): Promise<Response> {
    const owner = batchOwnerOf(ctx.caller);
    const cancelled = owner ? await cancelBatchItems(params.id, owner) : null;
    if (!cancelled) throw notFound(params.id);
    await queue().cancel(cancelled.itemIds.map((itemId) => ({ batchId: cancelled.batchId, itemId })));
    if (await finishBatchIfDone(cancelled.batchId)) void notifyBatchFinished(cancelled.batchId);
    const batch = await owned(ctx, params.id);
    return Response.json(
      { ...batchView(batch), cancelledItems: cancelled.itemIds.length },
      { headers: PRIVATE },
    );
  }

  return { create, get, download, cancel };
}

async function owned(ctx: ApiContext, id: string): Promise<OwnedBatch> {
  const owner = batchOwnerOf(ctx.caller);
  const batch = owner ? await getOwnedBatch(id, owner) : null;
  if (!batch) throw notFound(id);
  return batch;
}

/** A webhook needs the signing secret and a URL that passes the address policy, checked now (and again on send). */
async function checkCallback(
  parsed: BatchRequest,
  settings: { webhookSecret?: string; webhookAllowPrivate: boolean },
): Promise<string | null> {
  if (!parsed.callbackUrl) return null;
  if (!settings.webhookSecret) {
    throw new ApiError(
      400,
      'bad-request',
      'Webhooks are not enabled on this server (BATCH_WEBHOOK_SECRET is unset).',
      {
        extensions: { errors: [{ path: 'callbackUrl', message: 'webhooks are not enabled' }] },
      },
    );
  }
  try {
    const url = parseCallbackUrl(parsed.callbackUrl);
    await resolveCallbackAddresses(url, settings.webhookAllowPrivate);
    return url.toString();
  } catch (error) {
    if (!(error instanceof CallbackUrlError)) throw error;
    throw new ApiError(400, 'bad-request', error.message, {
      extensions: { errors: [{ path: 'callbackUrl', message: error.message }] },
    });
  }
}

export function batchView(batch: OwnedBatch) {
  const progress = progressOf(batch.items);
  const status = batch.finishedAt
    ? batch.cancelledAt
      ? 'cancelled'
      : 'done'
    : progress.running > 0 || progress.finished > 0
      ? 'running'
      : 'queued';
  return {
    id: batch.id,
    status,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    options: batch.options as Record<string, unknown>,
    formats: ['svg', ...batch.formats.split(' ').filter(Boolean)],
    progress: {
      ...progress,
      percent: progress.total ? Math.round((progress.finished / progress.total) * 1000) / 10 : 100,
    },
    webhook: batch.callbackUrl ? { state: batch.webhookState, attempts: batch.webhookAttempts } : null,
    items: batch.items.map((item) => ({
      id: item.id,
      position: item.position,
      fileName: item.fileName,
      state: item.state,
      problem: (item.problem ?? null) as Record<string, unknown> | null,
      conversionId: item.conversionId,
      type: item.type,
      tier: item.tier,
      quality: { ssim: item.ssim === null ? null : Math.round(item.ssim * 10_000) / 10_000 },
      bytes: item.bytes,
      durationMs: item.durationMs === null ? null : Math.round(item.durationMs * 10) / 10,
      attempts: item.attempts,
    })),
    links: links(batch.id),
  };
}

/** The files and the option fields of the body: multipart parts, or one zip as the whole body (options in the query). */
async function readFiles(
  request: Request,
  ctx: ApiContext,
  settings: { cap: number; maxBytes: number; multipart: boolean },
): Promise<{ files: UploadedFile[]; fields: Record<string, unknown> }> {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const raw = await readBodyCapped(request, settings.cap, settings.maxBytes);
  if (!settings.multipart)
    return { files: [{ name: 'upload.zip', bytes: raw }], fields: fieldsOf(query, ctx) };
  const form = await parseMultipart(raw, request.headers.get('content-type')!);
  const files: UploadedFile[] = [];
  for (const key of ['files', 'file', 'files[]']) {
    for (const value of form.getAll(key)) {
      if (!(value instanceof Blob)) continue;
      const name =
        'name' in value && typeof value.name === 'string' && value.name
          ? value.name
          : `file-${files.length + 1}`;
      files.push({ name, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  if (files.length === 0) {
    throw new ApiError(
      400,
      'bad-request',
      'The multipart body has no "files" field with an image or a zip.',
      {
        extensions: { errors: [{ path: 'files', message: 'Required' }] },
      },
    );
  }
  const fields: Record<string, string> = { ...query };
  for (const key of ['options', 'formats', 'callbackUrl', 'mode', 'quality', 'targetSsim']) {
    const v = form.get(key);
    if (typeof v === 'string') fields[key] = v;
  }
  return { files, fields: fieldsOf(fields, ctx) };
}

/** Text fields (form or query) as the batch request object: options JSON or flat mode / quality / targetSsim. */
function fieldsOf(fields: Record<string, string>, ctx: ApiContext): Record<string, unknown> {
  const known = new Set(['options', 'formats', 'callbackUrl', 'mode', 'quality', 'targetSsim']);
  const unknown = Object.keys(fields).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new ApiError(400, 'bad-request', `Unknown parameter "${unknown[0].slice(0, 40)}".`, {
      extensions: { errors: unknown.map((path) => ({ path, message: 'Unknown parameter' })) },
    });
  }
  let options: unknown = {};
  if (fields.options?.trim()) {
    try {
      options = JSON.parse(fields.options);
    } catch {
      throw new ApiError(400, 'bad-request', 'The "options" field must be a JSON object.', {
        extensions: { errors: [{ path: 'options', message: 'Invalid JSON' }] },
      });
    }
  } else {
    const flat: Record<string, unknown> = {};
    if (fields.mode) flat.mode = fields.mode;
    if (fields.quality) flat.quality = fields.quality;
    if (fields.targetSsim) flat.targetSsim = Number(fields.targetSsim);
    options = flat;
  }
  void ctx;
  return {
    options,
    formats: fields.formats
      ? fields.formats
          .split(',')
          .map((f) => f.trim().toLowerCase())
          .filter(Boolean)
      : [],
    ...(fields.callbackUrl ? { callbackUrl: fields.callbackUrl } : {}),
  };
}
