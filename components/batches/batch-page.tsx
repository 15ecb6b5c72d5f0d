'use client';
/**
 * The batch page: drop a folder or many files, they go to POST /api/v1/batches as one batch converted on the
 * server; every file's state and quality follow live (polling), and the results come back as one zip. The batch
 * id is kept in the address (?id=), so a reload, or the converter page handing a large drop over, shows it.
 */
import { useCallback, useEffect, useState } from 'react';
import { DropZone } from '@/components/converter/drop-zone';
import type { IncomingFile } from '@/components/converter/collect-files';
import { loadOptions, toApiOptions } from '@/components/converter/options';
import table from '@/components/ui/data-table.module.css';
import { cancelBatch, readBatch, submitBatch, type BatchStatus } from './batch-client';
import styles from './batches.module.css';

const POLL_MS = 1000;

function batchIdFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('id');
}

export function BatchPage() {
  const [id, setId] = useState<string | null>(null);
  const [batch, setBatch] = useState<BatchStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setId(batchIdFromUrl()), []);

  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await readBatch(id);
        if (stopped) return;
        setBatch(next);
        setError(null);
        if (next.status === 'done' || next.status === 'cancelled') return;
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  const onFiles = useCallback(async (files: IncomingFile[]) => {
    if (files.length === 0) return;
    setSending(true);
    setError(null);
    try {
      const created = await submitBatch(files, toApiOptions(loadOptions()));
      window.history.replaceState(null, '', `/batches?id=${encodeURIComponent(created)}`);
      setBatch(null);
      setId(created);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  }, []);

  const running = batch && (batch.status === 'queued' || batch.status === 'running');
  return (
    <div className={styles.layout}>
      <DropZone onFiles={(files) => void onFiles(files)} />
      {sending && <p role="status">Uploading…</p>}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {batch && (
        <section aria-labelledby="batch-h" className={styles.batch} data-testid="batch">
          <h2 id="batch-h">
            Batch: <span data-testid="batch-status">{batch.status}</span>
          </h2>
          <progress
            max={batch.progress.total}
            value={batch.progress.finished}
            aria-label="Files finished"
            className={styles.progress}
          />
          <p data-testid="batch-progress">
            {batch.progress.finished} of {batch.progress.total} finished · {batch.progress.done} done ·{' '}
            {batch.progress.failed} failed
          </p>
          <div className={styles.actions}>
            <a className={styles.primary} href={batch.links.download} download data-testid="batch-download">
              Download zip
            </a>
            {running && (
              <button
                type="button"
                onClick={() => void cancelBatch(batch.id).catch((e) => setError((e as Error).message))}
              >
                Cancel what has not started
              </button>
            )}
          </div>
          <table className={table.dataTable}>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">State</th>
                <th scope="col">Type</th>
                <th scope="col">SSIM</th>
                <th scope="col">SVG bytes</th>
              </tr>
            </thead>
            <tbody>
              {batch.items.map((item) => (
                <tr key={item.id} data-testid="batch-item" data-state={item.state}>
                  <th scope="row">
                    {item.conversionId ? (
                      <a href={`/history/${item.conversionId}`}>{item.fileName}</a>
                    ) : (
                      item.fileName
                    )}
                  </th>
                  <td>
                    {item.state}
                    {item.problem ? `: ${item.problem.detail ?? item.problem.title}` : ''}
                  </td>
                  <td>{item.type ?? ''}</td>
                  <td>{item.quality.ssim ?? ''}</td>
                  <td>{item.bytes ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
