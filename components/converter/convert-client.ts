/** Browser side of POST /api/v1/convert: uploads with progress, reads the JSON result or the problem details. */
import type { ConvertResponse } from '@/lib/api/schemas';
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

export type Progress = { phase: 'uploading'; fraction: number } | { phase: 'converting' };

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
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-svgai-client', 'web');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'uploading', fraction: e.loaded / e.total });
    };
    xhr.upload.onload = () => onProgress({ phase: 'converting' });
    xhr.onerror = () =>
      reject(new ConvertFailure('Network error: the server could not be reached.', 0, null));
    xhr.onabort = () => reject(new DOMException('Cancelled', 'AbortError'));
    xhr.onload = () => {
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
      const problem = (body ?? {}) as { detail?: string; title?: string; requestId?: string };
      const retry = Number(xhr.getResponseHeader('retry-after'));
      let message = problem.detail ?? problem.title ?? `The server answered ${xhr.status}.`;
      if (xhr.status >= 500 && problem.requestId && !message.includes(problem.requestId)) {
        message += ` (request id ${problem.requestId})`;
      }
      reject(new ConvertFailure(message, xhr.status, Number.isFinite(retry) && retry > 0 ? retry : null));
    };
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.set('file', file, fileName);
    form.set('options', JSON.stringify(options));
    xhr.send(form);
  });
}
