/** The browser's side of the batch API: submit files as one batch, read its status, cancel it. */
import type { IncomingFile } from '@/components/converter/collect-files';
import type { ApiOptions } from '@/components/converter/options';

export type BatchItemStatus = {
  id: string;
  fileName: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  problem: { detail?: string; title?: string } | null;
  conversionId: string | null;
  type: string | null;
  tier: number | null;
  quality: { ssim: number | null };
  bytes: number | null;
};

export type BatchStatus = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'cancelled';
  progress: { total: number; done: number; failed: number; finished: number; percent: number };
  items: BatchItemStatus[];
  links: { self: string; download: string };
};

async function problemText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: string; title?: string };
    return body.detail ?? body.title ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** Sends the files (their folder paths as names) with the options; resolves with the batch id. */
export async function submitBatch(files: IncomingFile[], options: ApiOptions): Promise<string> {
  const form = new FormData();
  for (const { file, path } of files) form.append('files', file, path);
  form.set('options', JSON.stringify(options));
  const res = await fetch('/api/v1/batches', {
    method: 'POST',
    body: form,
    headers: { 'x-svgai-client': 'web' },
  });
  if (res.status !== 202) throw new Error(await problemText(res));
  return ((await res.json()) as { id: string }).id;
}

export async function readBatch(id: string): Promise<BatchStatus> {
  const res = await fetch(`/api/v1/batches/${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(await problemText(res));
  return (await res.json()) as BatchStatus;
}

export async function cancelBatch(id: string): Promise<void> {
  const res = await fetch(`/api/v1/batches/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!res.ok) throw new Error(await problemText(res));
}
