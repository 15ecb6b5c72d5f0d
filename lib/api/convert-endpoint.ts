/**
 * POST /api/v1/convert: accepts an image (multipart `file`, JSON base64 `image`, or a raw image body), runs
 * it through the worker pool, records it (with its original and options) in the history, and answers with the
 * SVG and its measurements as JSON, a stream of progress stages ending in that JSON, or one file format (SVG,
 * PDF, EPS, DXF, PNG) chosen by ?format= or the Accept header.
 */
import type { RoutedResult } from '@/lib/ai/types';
import { isSecureRequest } from '@/lib/auth/history-cookie';
import { createHistoryToken, hashHistoryToken, historyCookieHeader } from '@/lib/auth/history-token';
import { getConfig } from '@/lib/config';
import { convertWithCache, type CachedConversion, type ConversionServices } from '@/lib/conversion';
import { recordConversion } from '@/lib/metrics';
import { applySvgOptions, formatFromAccept, type ExportFormat } from '@/lib/export';
import type { StageListener } from '@/lib/vectorize/conversion-stage';
import { backgroundFromWord } from '@/lib/vectorize/background/background-options';
import { sniffImageType } from '@/lib/vectorize/decode-image';
import { storeConversion } from './conversion-store';
import { fileResponse } from './export-endpoint';
import { ApiError } from './problem';
import { parseMultipart, readBodyCapped, tooLarge } from './read-body';
import {
  convertJsonBodySchema,
  convertOptionsSchema,
  convertQuerySchema,
  type ConvertApiOptions,
  type ConvertProgressEvent,
  type ConvertQuery,
  type ConvertResponse,
} from './schemas';
import { admitUpload } from './upload-admission';
import { errorResponse, type ApiContext } from './with-api';

/** Room for multipart boundaries, headers and the options field around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

type ParsedUpload = { image: Buffer; options: ConvertApiOptions; fileName?: string };
type UploadKind = 'multipart' | 'json' | 'raw';

/** What the caller asked to get back: the JSON result, a progress stream ending in it, or one file format. */
type Output = { kind: 'json' } | { kind: 'ndjson' } | { kind: 'file'; format: ExportFormat };

export function createConvertHandler(services: ConversionServices = {}) {
  return async function handleConvert(request: Request, ctx: ApiContext): Promise<Response> {
    const { maxBytes } = getConfig().limits;
    // Everything decided from the headers and the URL comes before the body: a bad query, a wrong type or an
    // oversized declared length costs nothing, and a full server refuses without reading a byte.
    const query = ctx.parse(
      convertQuerySchema,
      Object.fromEntries(new URL(request.url).searchParams),
      'query',
    );
    const output = outputOf(request, query);
    const kind = uploadKind(request);
    const cap = bodyCap(kind, maxBytes);
    const declared = request.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > cap)
      throw tooLarge(Number(declared), maxBytes);
    const release = admitUpload(request, cap);
    // a stream answers before its conversion ends: its upload budget is released when the stream does
    let releaseLater = false;
    try {
      const upload = await readUpload(request, ctx, { kind, cap, maxBytes, query });
      // Refuse non-images here, before they take a worker slot.
      const inputType = `image/${sniffImageType(upload.image)}`;
      const history = historyCookieFor(request, ctx);

      const finish = async (converted: CachedConversion) => {
        const { result, inputHash } = converted;
        recordConversion(result.type, result.tier, result.quality?.ssim, result.durationMs);
        ctx.observe.conversion = {
          imageType: result.type,
          tier: result.tier,
          ssim: result.quality?.ssim,
          bytes: result.bytes,
          cached: result.cached,
          inferenceMs: result.inferenceMs,
        };
        const source = request.headers.get('x-svgai-client') === 'web' ? 'web' : 'api';
        const stored = await storeConversion(
          result,
          {
            hash: inputHash,
            bytes: upload.image.length,
            fileName: upload.fileName,
            source,
            browserTokenHash: history.browserTokenHash,
            options: upload.options,
            original: { bytes: upload.image, mimeType: inputType },
          },
          ctx.caller,
        );
        return { ...stored, body: toResponse(stored.id, result), result };
      };

      if (output.kind === 'ndjson') {
        const response = streamConversion(request, ctx, upload, services, finish, history.setCookie);
        releaseLater = true;
        void ctx.observe.until?.finally(release);
        return response;
      }

      const { body, result, saved } = await finish(await convertOrExplain(request, upload, services));
      const cookieHeaders: Record<string, string> =
        history.setCookie && saved ? { 'set-cookie': history.setCookie } : {};
      const svgOptions = { svg: query.svg, title: query.title, layers: query.layers };
      if (output.kind === 'json') {
        return Response.json(
          { ...body, svg: applySvgOptions(body.svg, svgOptions) },
          { headers: { 'cache-control': 'no-store', ...cookieHeaders } },
        );
      }
      return fileResponse(
        result.svg,
        output.format,
        { scale: query.scale, curves: query.curves, ...svgOptions, fileName: upload.fileName },
        {
          'x-conversion-id': body.id,
          'x-image-type': body.type,
          'x-ssim': body.quality.ssim === null ? '' : String(body.quality.ssim),
          ...cookieHeaders,
        },
      );
    } finally {
      if (!releaseLater) release();
    }
  };
}

/**
 * An anonymous caller without a history cookie gets one with its first conversion (signed-in users and keys are
 * identified otherwise). Browsers normally already hold one: the page that uploads sets it (lib/auth/history-cookie.ts).
 */
export function historyCookieFor(
  request: Request,
  ctx: ApiContext,
): { browserTokenHash: string | null; setCookie: string | null } {
  if (ctx.caller.kind !== 'anonymous') return { browserTokenHash: null, setCookie: null };
  if (ctx.caller.historyTokenHash) return { browserTokenHash: ctx.caller.historyTokenHash, setCookie: null };
  const token = createHistoryToken();
  return {
    browserTokenHash: hashHistoryToken(token),
    setCookie: historyCookieHeader(token, isSecureRequest(request)),
  };
}

/** The conversion, with a client hang-up as 499 and REQUEST_TIMEOUT_MS as a 503 the client may retry. */
async function convertOrExplain(
  request: Request,
  upload: ParsedUpload,
  services: ConversionServices,
  onStage?: StageListener,
): Promise<CachedConversion> {
  const { requestTimeoutMs } = getConfig();
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  try {
    // A client that hangs up, or a conversion past REQUEST_TIMEOUT_MS, is answered at once; its worker stops at
    // the conversion's next checkpoint (workers are never terminated: see ConvertTask.cancel).
    const signal = AbortSignal.any([request.signal, timeout]);
    return await convertWithCache(upload.image, upload.options, signal, services, onStage);
  } catch (error) {
    if (request.signal.aborted) {
      // Nobody is listening any more; 499 (nginx's "client closed request") keeps it out of the 5xx counts.
      throw new ApiError(
        499,
        'client-closed',
        'The client closed the request; the conversion was cancelled.',
      );
    }
    if (timeout.aborted) {
      throw new ApiError(
        503,
        'overloaded',
        `The conversion took longer than ${requestTimeoutMs} ms and was stopped; retry later or choose a faster quality.`,
        { headers: { 'retry-after': '5' } },
      );
    }
    throw error;
  }
}

/**
 * Accept: application/x-ndjson: one JSON line per stage as the conversion enters it, then the result (or the
 * problem) as the last line. Plain chunked HTTP, so it passes nginx (X-Accel-Buffering: no turns its proxy
 * buffering off for this answer) and Vercel's streamed function responses; a poll endpoint would need shared
 * state between replicas.
 */
function streamConversion(
  request: Request,
  ctx: ApiContext,
  upload: ParsedUpload,
  services: ConversionServices,
  finish: (converted: CachedConversion) => Promise<{ body: ConvertResponse }>,
  setCookie: string | null,
): Response {
  const encoder = new TextEncoder();
  let work: Promise<void> = Promise.resolve();
  // false once the client went away (the conversion is then aborted through request.signal) or the stream ended
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (event: ConvertProgressEvent) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      work = (async () => {
        try {
          const converted = await convertOrExplain(request, upload, services, (e) =>
            write({ event: 'stage', ...e }),
          );
          write({ event: 'result', result: (await finish(converted)).body });
        } catch (error) {
          write({ event: 'error', problem: await errorResponse(error, ctx.requestId, request).json() });
        } finally {
          if (open) controller.close();
          open = false;
        }
      })();
    },
    cancel() {
      open = false;
    },
  });
  ctx.observe.until = work;
  return new Response(stream, {
    status: 200,
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      ...(setCookie ? { 'set-cookie': setCookie } : {}),
    },
  });
}

function outputOf(request: Request, query: ConvertQuery): Output {
  if (query.format === 'json') return { kind: 'json' };
  if (query.format) return { kind: 'file', format: query.format };
  const accept = request.headers.get('accept') ?? '';
  if (/application\/x-ndjson/i.test(accept)) return { kind: 'ndjson' };
  const format = formatFromAccept(accept);
  return format ? { kind: 'file', format } : { kind: 'json' };
}

function round(value: number | null | undefined, digits: number): number | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  if (!Number.isFinite(value)) return 100;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function toResponse(id: string, r: RoutedResult): ConvertResponse {
  return {
    id,
    svg: r.svg,
    width: r.width,
    height: r.height,
    type: r.type,
    confidence: round(r.confidence, 3) ?? 0,
    tier: r.tier,
    iterations: r.iterations,
    target: r.target,
    targetMet: r.targetMet,
    reason: r.reason,
    quality: {
      ssim: round(r.quality?.ssim, 4),
      psnr: round(r.quality ? Math.min(r.quality.psnr, 100) : null, 2),
      gmsd: round(r.quality?.gmsd, 4),
    },
    bytes: r.bytes,
    paths: r.paths,
    durationMs: round(r.durationMs, 1) ?? 0,
    params: r.params,
  };
}

/** The body's kind from its Content-Type; anything else is a 415 before the body is read. */
function uploadKind(request: Request): UploadKind {
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) return 'multipart';
  if (contentType.startsWith('application/json')) return 'json';
  if (contentType.startsWith('image/') || contentType.startsWith('application/octet-stream')) return 'raw';
  throw new ApiError(
    415,
    'unsupported-type',
    `Send the image as multipart/form-data (field "file"), as JSON {"image": "<base64>"} or as a raw image body; got "${contentType.slice(0, 100) || 'no content type'}".`,
  );
}

/** Most bytes a body of this kind may take for an image of `maxBytes` (multipart framing, base64's 4/3). */
function bodyCap(kind: UploadKind, maxBytes: number): number {
  if (kind === 'multipart') return maxBytes + MULTIPART_OVERHEAD;
  if (kind === 'json') return Math.ceil(maxBytes / 3) * 4 + MULTIPART_OVERHEAD;
  return maxBytes;
}

/** The query's conversion options (`?mode=mono&quality=fast`), for any kind of body that carries none of its own. */
function optionsFromQuery(query: ConvertQuery): Record<string, unknown> {
  const { mode, quality, targetSsim, background, ink } = query;
  return Object.fromEntries(
    Object.entries({ mode, quality, targetSsim, background, ink }).filter(([, v]) => v !== undefined),
  );
}

async function readUpload(
  request: Request,
  ctx: ApiContext,
  upload: { kind: UploadKind; cap: number; maxBytes: number; query: ConvertQuery },
): Promise<ParsedUpload> {
  const fromQuery = optionsFromQuery(upload.query);
  if (upload.kind === 'multipart') return readMultipart(request, ctx, upload.cap, upload.maxBytes, fromQuery);
  if (upload.kind === 'json') return readJson(request, ctx, upload.cap, upload.maxBytes, fromQuery);
  const options = ctx.parse(convertOptionsSchema, fromQuery, 'options');
  return { image: await readBodyCapped(request, upload.cap, upload.maxBytes), options };
}

async function readMultipart(
  request: Request,
  ctx: ApiContext,
  cap: number,
  maxBytes: number,
  fromQuery: Record<string, unknown>,
): Promise<ParsedUpload> {
  const raw = await readBodyCapped(request, cap, maxBytes);
  const form = await parseMultipart(raw, request.headers.get('content-type')!);
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    throw new ApiError(400, 'bad-request', 'The multipart body has no "file" field with an image.', {
      extensions: { errors: [{ path: 'file', message: 'Required' }] },
    });
  }
  if (file.size > maxBytes) throw tooLarge(file.size, maxBytes);
  const optionsField = form.get('options');
  let optionsValue: unknown = {};
  if (typeof optionsField === 'string' && optionsField.trim() !== '') {
    try {
      optionsValue = JSON.parse(optionsField);
    } catch {
      throw new ApiError(400, 'bad-request', 'The "options" field must be a JSON object.', {
        extensions: { errors: [{ path: 'options', message: 'Invalid JSON' }] },
      });
    }
  } else {
    // Plain form fields are accepted too, for curl users: -F mode=mono -F quality=fast.
    const flat: Record<string, unknown> = {};
    for (const key of ['mode', 'quality', 'ink'] as const) {
      const v = form.get(key);
      if (typeof v === 'string') flat[key] = v;
    }
    const background = form.get('background');
    if (typeof background === 'string') flat.background = backgroundFromWord(background);
    const target = form.get('targetSsim');
    if (typeof target === 'string') flat.targetSsim = Number(target);
    optionsValue = flat;
  }
  if (!optionsValue || typeof optionsValue !== 'object' || Array.isArray(optionsValue)) {
    throw new ApiError(400, 'bad-request', 'The "options" field must be a JSON object.', {
      extensions: { errors: [{ path: 'options', message: 'Expected an object' }] },
    });
  }
  const given = Object.keys(optionsValue).length > 0;
  const options = ctx.parse(convertOptionsSchema, given ? optionsValue : fromQuery, 'options');
  const fileName = 'name' in file && typeof file.name === 'string' ? file.name : undefined;
  return { image: Buffer.from(await file.arrayBuffer()), options, fileName };
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

async function readJson(
  request: Request,
  ctx: ApiContext,
  cap: number,
  maxBytes: number,
  fromQuery: Record<string, unknown>,
): Promise<ParsedUpload> {
  const raw = await readBodyCapped(request, cap, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'bad-request', 'The request body is not valid JSON.');
  }
  const body = ctx.parse(convertJsonBodySchema, json, 'request body');
  const encoded = body.image.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!BASE64.test(encoded)) {
    throw new ApiError(400, 'bad-request', 'The "image" field is not valid base64.', {
      extensions: { errors: [{ path: 'image', message: 'Invalid base64' }] },
    });
  }
  const image = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
  if (image.length > maxBytes) throw tooLarge(image.length, maxBytes);
  return { image, options: body.options ?? ctx.parse(convertOptionsSchema, fromQuery, 'options') };
}
