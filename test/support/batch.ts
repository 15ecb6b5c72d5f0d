/** Helpers for batch tests: real images, batch requests as a browser or an API client sends them, waiting. */
import JSZip from 'jszip';
import { createHistoryToken, HISTORY_COOKIE } from '@/lib/auth/history-token';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { renderPng } from '@/test/fixtures/images';

/** A distinct small logo per index (so every item is its own content, converted for real). */
export function logoPng(i: number): Promise<Buffer> {
  const hue = (i * 47) % 360;
  return renderPng(
    `<rect width="64" height="64" fill="white"/><circle cx="${20 + (i % 5) * 5}" cy="32" r="${10 + (i % 7)}" fill="hsl(${hue},80%,45%)"/>`,
  );
}

/** One anonymous browser: its history cookie and its address. */
export function browser(address = '192.0.2.10') {
  const token = createHistoryToken();
  return { headers: { cookie: `${HISTORY_COOKIE}=${token}`, [PEER_ADDRESS_HEADER]: address } };
}

export type Who = { headers: Record<string, string> };

export function batchRequest(
  who: Who,
  files: { name: string; bytes: Buffer }[],
  fields: Record<string, string> = {},
): Request {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)]), f.name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request('http://localhost/api/v1/batches', { method: 'POST', body: form, headers: who.headers });
}

export async function zipOf(entries: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, bytes] of Object.entries(entries)) zip.file(name, bytes);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export function idRequest(who: Who, id: string, suffix = '', method = 'GET'): Request {
  return new Request(`http://localhost/api/v1/batches/${id}${suffix}`, { method, headers: who.headers });
}

/** Polls `read` until `done` holds or the time runs out (then fails with the last value). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last value: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}
