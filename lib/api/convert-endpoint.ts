/**
 * POST /api/v1/convert: accepts an image (multipart `file`, JSON base64 `image`, or a raw image body), runs
 * it through the worker pool and answers with the SVG and its measurements as JSON, or the SVG itself.
 */
import type { z } from 'zod';
import type { RoutedResult } from '@/lib/ai/types';
import { createHistoryToken, hashHistoryToken, historyCookieHeader } from '@/lib/auth/history-token';
import { getConfig } from '@/lib/config';
import { convertWithCache, type CachedConversion, type ConversionServices } from '@/lib/conversion';
import { recordConversion } from '@/lib/metrics';
import { sniffImageType } from '@/lib/vectorize/decode-image';
import { storeConversion } from './conversion-store';
import { ApiError } from './problem';
import { readBodyCapped, tooLarge } from './read-body';
import {
  convertJsonBodySchema,
  convertOptionsSchema,
  convertQuerySchema,
  type ConvertApiOptions,
  type ConvertResponse,
} from './schemas';
import { admitUpload } from './upload-admission';
import type { ApiContext } from './with-api';

/** Room for multipart boundaries, headers and the options field around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;
const SVG_TYPE = 'image/svg+xml';

type ParsedUpload = { image: Buffer; options: ConvertApiOptions; fileName?: string };
type UploadKind = 'multipart' | 'json' | 'raw';
type ConvertQuery = z.output<typeof convertQuerySchema>;

export function createConvertHandler(services: ConversionServices = {}) {
  async function handleConvert(request: Request, ctx: ApiContext): Promise<Response> {
    const { maxBytes } = getConfig().limits;
    // Everything decided from the headers and the URL comes before the body: a bad query, a wrong type or an
    // oversized declared length costs nothing, and a full server refuses without reading a byte.
    const query = ctx.parse(
      convertQuerySchema,
      Object.fromEntries(new URL(request.url).searchParams),
      'query',
    );
    const kind = uploadKind(request);
    const cap = bodyCap(kind, maxBytes);
    const declared = request.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > cap)
      throw tooLarge(Number(declared), maxBytes);
    const release = admitUpload(request, cap);
    try {
      return await convertUpload(request, ctx, { kind, cap, maxBytes, query });
    } finally {
      release();
    }
  }

  async function convertUpload(
    request: Request,
    ctx: ApiContext,
    upload: { kind: UploadKind; cap: number; maxBytes: number; query: ConvertQuery },
  ): Promise<Response> {
    const parsedUpload = await readUpload(request, ctx, upload);
    // Refuse non-images here, before they take a worker slot.
    sniffImageType(parsedUpload.image);
    return convertParsed(request, ctx, parsedUpload, upload.query);
  }

  async function convertParsed(
    request: Request,
    ctx: ApiContext,
    upload: ParsedUpload,
    query: ConvertQuery,
  ): Promise<Response> {
    const { requestTimeoutMs } = getConfig();
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    let converted: CachedConversion;
    try {
      // A client that hangs up, or a conversion past REQUEST_TIMEOUT_MS, is answered at once; its worker stops at
      // the conversion's next checkpoint (workers are never terminated: see ConvertTask.cancel).
      const signal = AbortSignal.any([request.signal, timeout]);
      converted = await convertWithCache(upload.image, upload.options, signal, services);
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
          {
            headers: { 'retry-after': '5' },
          },
        );
      }
      throw error;
    }
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
    // An anonymous caller's first conversion gets a history cookie: only the browser holding it can list or
    // open what it converted (signed-in users and keys are identified otherwise).
    const newToken =
      ctx.caller.kind === 'anonymous' && !ctx.caller.historyTokenHash ? createHistoryToken() : null;
    const browserTokenHash =
      ctx.caller.kind === 'anonymous'
        ? (ctx.caller.historyTokenHash ?? (newToken ? hashHistoryToken(newToken) : null))
        : null;
    const { id, saved } = await storeConversion(
      result,
      { hash: inputHash, bytes: upload.image.length, fileName: upload.fileName, source, browserTokenHash },
      ctx.caller,
    );
    const body = toResponse(id, result);
    const cookieHeaders: Record<string, string> =
      newToken && saved ? { 'set-cookie': historyCookieHeader(newToken, isSecureRequest(request)) } : {};

    if (wantsSvg(request, query)) {
      return new Response(result.svg, {
        status: 200,
        headers: {
          'content-type': `${SVG_TYPE}; charset=utf-8`,
          // An SVG answered directly could be opened in a browser tab: forbid scripts and external loads.
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          'x-content-type-options': 'nosniff',
          'x-conversion-id': id,
          'x-image-type': body.type,
          'x-ssim': body.quality.ssim === null ? '' : String(body.quality.ssim),
          'cache-control': 'no-store',
          ...cookieHeaders,
        },
      });
    }
    return Response.json(body, { headers: { 'cache-control': 'no-store', ...cookieHeaders } });
  }

  return handleConvert;
}

/** Secure cookies only over HTTPS (directly, or behind a trusted proxy that says so); plain http in dev. */
function isSecureRequest(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  return (
    getConfig().server.trustProxy &&
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

function wantsSvg(request: Request, query: ConvertQuery): boolean {
  const format = query.format;
  if (format === 'svg') return true;
  if (format === 'json') return false;
  const accept = request.headers.get('accept') ?? '';
  return accept.includes(SVG_TYPE) && !accept.includes('application/json');
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

/** The query's conversion options (without `format`), for any kind of body. */
function optionsFromQuery(query: ConvertQuery): Record<string, unknown> {
  const { format: _format, ...options } = query;
  void _format;
  return options;
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
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': request.headers.get('content-type')! },
    }).formData();
  } catch {
    throw new ApiError(400, 'bad-request', 'The multipart body is malformed.');
  }
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
    for (const key of ['mode', 'quality'] as const) {
      const v = form.get(key);
      if (typeof v === 'string') flat[key] = v;
    }
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
