/** One log line per HTTP request with its outcome and duration; the API wrapper calls it when a request ends. */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { getLogger } from './logger';

export type RequestLogEntry = {
  requestId: string;
  route: string;
  method: string;
  status: number;
  durationMs: number;
  /** Conversion details when the request converted an image. */
  imageType?: string;
  tier?: number;
  ssim?: number;
  bytes?: number;
  cached?: boolean;
  /** Client-visible error kind (problem type) for 4xx/5xx. */
  errorKind?: string;
  /** The thrown error for 5xx: its stack goes to the server log only, never to the client. */
  error?: unknown;
  userAgent?: string;
};

/** Request ids from the proxy are kept if they look sane, so one id follows the request through nginx and logs. */
export function resolveRequestId(headerValue: string | null | undefined): string {
  if (headerValue && /^[A-Za-z0-9._:-]{8,128}$/.test(headerValue)) return headerValue;
  return randomUUID();
}

export function logRequest(entry: RequestLogEntry, logger: Logger = getLogger()): void {
  const { error, durationMs, ...rest } = entry;
  const fields: Record<string, unknown> = { ...rest, durationMs: Math.round(durationMs * 10) / 10 };
  if (error !== undefined) fields.err = error instanceof Error ? error : new Error(String(error));
  const msg = `${entry.method} ${entry.route} ${entry.status} ${fields.durationMs}ms`;
  if (entry.status >= 500) logger.error(fields, msg);
  else if (entry.status >= 400) logger.warn(fields, msg);
  else logger.info(fields, msg);
}
