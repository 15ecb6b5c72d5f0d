/**
 * Browser side of POST /api/v1/convert: uploads with progress, then follows the conversion's stages as the
 * server streams them (Accept: application/x-ndjson), and reads the result or the problem from the last line.
 * Also the export endpoint for edited SVGs.
 */
import type { ConvertProgressEvent, ConvertResponse } from '@/lib/api/schemas';
import type { ApiOptions } from './options';

/** The convert endpoint's JSON answer, as its schema declares it (lib/api/schemas.ts). */
export type ConvertResult = ConvertResponse;

export class ConvertFailure extends Error {
  readonly status: number;
  /** Seconds to wait before retrying (429/503), when the server said. */
  readonly retryAfter: number | null;
  constructor(message: string, status: number, retryAfter: number | null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

type Stage = Extract<ConvertProgressEvent, { event: 'stage' }>;
export type Progress =
  { phase: 'uploading'; fraction: number } | { phase: 'stage'; stage: Stage['stage']; attempt?: number };

function problemMessage(
  problem: { detail?: string; title?: string; requestId?: string } | null,
  status: number,
): string {
  let message = problem?.detail ?? problem?.title ?? `The server answered ${status}.`;
  if (status >= 500 && problem?.requestId && !message.includes(problem.requestId)) {
    message += ` (request id ${problem.requestId})`;
  }
  return message;
}

/** XMLHttpRequest rather than fetch: fetch cannot report upload progress. */
export function uploadForConversion(
  file: Blob,
  fileName: string,
  options: ApiOptions,
  onProgress: (p: Progress) => void,
  signal: AbortSignal,
): Promise<ConvertResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/convert');
    xhr.setRequestHeader('accept', 'application/x-ndjson, application/json;q=0.9');
    xhr.setRequestHeader('x-svgai-client', 'web');
    xhr.responseType = 'text';
    let read = 0;
    let last: ConvertProgressEvent | null = null;
    // every complete line the stream has delivered so far
    const drain = () => {
      const text = xhr.responseText;
      let nl: number;
      while ((nl = text.indexOf('\n', read)) >= 0) {
        const line = text.slice(read, nl).trim();
        read = nl + 1;
        if (!line) continue;
        try {
          const event = JSON.parse(line) as ConvertProgressEvent;
          last = event;
          if (event.event === 'stage')
            onProgress({ phase: 'stage', stage: event.stage, attempt: event.attempt });
        } catch {
          // not one of our lines (a proxy's page, for example): judged by the status below
        }
      }
    };
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'uploading', fraction: e.loaded / e.total });
    };
    xhr.onprogress = () => {
      if ((xhr.getResponseHeader('content-type') ?? '').includes('ndjson')) drain();
    };
    xhr.onerror = () =>
      reject(new ConvertFailure('Network error: the server could not be reached.', 0, null));
    xhr.onabort = () => reject(new DOMException('Cancelled', 'AbortError'));
    xhr.onload = () => {
      const retry = Number(xhr.getResponseHeader('retry-after'));
      const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
      if (xhr.status === 200 && (xhr.getResponseHeader('content-type') ?? '').includes('ndjson')) {
        drain();
        const end = last as ConvertProgressEvent | null;
        if (end?.event === 'result') return resolve(end.result);
        if (end?.event === 'error') {
          return reject(
            new ConvertFailure(
              problemMessage(end.problem, end.problem.status),
              end.problem.status,
              retryAfter,
            ),
          );
        }
        return reject(new ConvertFailure('The conversion stopped before it finished; try again.', 0, null));
      }
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Non-JSON answer (a proxy error page, for example): reported below with the status.
      }
      if (xhr.status === 200 && body && typeof body === 'object' && 'svg' in body) {
        resolve(body as ConvertResult);
        return;
      }
      reject(
        new ConvertFailure(
          problemMessage(body as { detail?: string } | null, xhr.status),
          xhr.status,
          retryAfter,
        ),
      );
    };
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.set('file', file, fileName);
    form.set('options', JSON.stringify(options));
    xhr.send(form);
  });
}

/** The SVG (as edited) in another format, through POST /api/v1/export. */
export async function exportFile(
  svg: string,
  format: 'pdf' | 'eps' | 'dxf' | 'png',
  options: { scale?: number; name?: string } = {},
): Promise<Blob> {
  const query = new URLSearchParams({ format });
  if (options.scale !== undefined) query.set('scale', String(options.scale));
  if (options.name) query.set('name', options.name);
  const res = await fetch(`/api/v1/export?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/svg+xml', 'x-svgai-client': 'web' },
    body: svg,
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new ConvertFailure(problemMessage(problem, res.status), res.status, null);
  }
  return res.blob();
}
