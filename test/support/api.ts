/** Helpers for API tests: fixture loading, request builders and the worker bundle (test-only module). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(process.cwd(), 'test/fixtures/api');

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** Builds dist/workers/convert-worker.mjs when missing or stale (a no-op when fresh). */
export function ensureWorkerBundle(): void {
  execFileSync(process.execPath, ['scripts/build-worker.mjs'], { stdio: 'pipe' });
}

let ipCounter = 1;
/** A fresh client address per call, so tests do not share a rate-limit bucket unless they mean to. */
export function freshIp(): string {
  ipCounter++;
  return `198.51.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export function multipartRequest(
  file: Buffer | null,
  options: {
    fileName?: string;
    fileType?: string;
    fields?: Record<string, string>;
    headers?: Record<string, string>;
    query?: string;
  } = {},
): Request {
  const form = new FormData();
  if (file)
    form.set(
      'file',
      new Blob([new Uint8Array(file)], { type: options.fileType ?? 'image/png' }),
      options.fileName ?? 'image.png',
    );
  for (const [k, v] of Object.entries(options.fields ?? {})) form.set(k, v);
  return new Request(`http://localhost/api/v1/convert${options.query ?? ''}`, {
    method: 'POST',
    body: form,
    headers: { 'x-forwarded-for': freshIp(), ...options.headers },
  });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/api/v1/convert', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp(), ...headers },
  });
}
