'use client';
/** One uploaded image: its progress or error, the comparison, the measurements and the per-file actions. */
import { useState } from 'react';
import { CompareView } from '@/components/compare-view/compare-view';
import type { ConvertResult } from './convert-client';
import { copyText, downloadSvg } from './download';
import { formatBytes, formatImageType, formatMs, formatSsim, formatTarget } from './format';
import styles from './converter.module.css';

type ItemStatus = 'queued' | 'uploading' | 'converting' | 'waiting' | 'done' | 'error';

export type ConvertItem = {
  key: string;
  file: File;
  originalUrl: string;
  status: ItemStatus;
  /** Upload progress 0..1 while uploading. */
  progress: number;
  result?: ConvertResult;
  svgUrl?: string;
  error?: string;
  /** HTTP status of the failure (0 = network); decides whether "Try again" can help. */
  errorStatus?: number;
  /** Seconds left before an automatic retry (429/503). */
  retryIn?: number;
};

function statusText(item: ConvertItem): string {
  switch (item.status) {
    case 'queued':
      return item.result ? 'Waiting to convert again…' : 'Waiting…';
    case 'uploading':
      return `Uploading ${Math.round(item.progress * 100)}%`;
    case 'converting':
      return 'Converting…';
    case 'waiting':
      return `Server busy, retrying in ${item.retryIn ?? 1} s…`;
    case 'done':
      return 'Done';
    case 'error':
      return 'Failed';
  }
}

/** A retry can help after network trouble, overload or a server error, not after a refused file. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 0 || status === 429 || status >= 500;
}

export function ResultCard({
  item,
  onRemove,
  onRetry,
}: {
  item: ConvertItem;
  onRemove: () => void;
  onRetry: () => void;
}) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const busy =
    item.status === 'queued' ||
    item.status === 'uploading' ||
    item.status === 'converting' ||
    item.status === 'waiting';
  const r = item.result;
  const headingId = `item-${item.key}`;

  return (
    <article className={styles.card} aria-labelledby={headingId} aria-busy={busy} data-status={item.status}>
      <header className={styles.cardHeader}>
        <h3 id={headingId} className={styles.fileName} title={item.file.name}>
          {item.file.name}
        </h3>
        <span className={styles.fileSize}>{formatBytes(item.file.size)}</span>
        <button
          type="button"
          className={styles.ghost}
          onClick={onRemove}
          aria-label={`Remove ${item.file.name}`}
        >
          ✕
        </button>
      </header>

      {busy && (
        <div className={styles.progressRow} role="status" aria-live="polite">
          <progress
            max={1}
            value={item.status === 'uploading' ? item.progress : undefined}
            aria-label={`Progress of ${item.file.name}`}
          />
          <span>{statusText(item)}</span>
        </div>
      )}

      {item.status === 'error' && (
        <div className={styles.error} role="alert">
          <strong>Could not convert this file.</strong> <span data-testid="item-error">{item.error}</span>{' '}
          {retryable(item.errorStatus) && (
            <button type="button" className={styles.linkButton} onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      )}

      {r && (
        <>
          <CompareView
            originalUrl={item.originalUrl}
            svgUrl={item.svgUrl ?? null}
            width={r.width}
            height={r.height}
            label={item.file.name}
          />
          <dl className={styles.stats} aria-label={`Measurements of ${item.file.name}`}>
            <div>
              <dt>Image type</dt>
              <dd>
                {formatImageType(r.type)}
                {r.confidence > 0 && (
                  <span className={styles.muted}> ({Math.round(r.confidence * 100)}%)</span>
                )}
              </dd>
            </div>
            <div>
              <dt title="Structural similarity of the SVG to the original; 1 = identical">SSIM</dt>
              <dd data-testid="ssim">{formatSsim(r.quality.ssim)}</dd>
            </div>
            <div>
              <dt title="The SSIM the router aims for with this image type (or the one you set)">Target</dt>
              <dd data-testid="target">{formatTarget(r.target, r.targetMet)}</dd>
            </div>
            <div>
              <dt>SVG size</dt>
              <dd>{formatBytes(r.bytes)}</dd>
            </div>
            <div>
              <dt>Paths</dt>
              <dd>{r.paths}</dd>
            </div>
            <div>
              <dt>Time</dt>
              <dd>{formatMs(r.durationMs)}</dd>
            </div>
            <div>
              <dt>Tier</dt>
              <dd>
                {r.tier}
                {r.iterations > 1 && <span className={styles.muted}> ({r.iterations} tries)</span>}
              </dd>
            </div>
          </dl>
          <div className={styles.actions}>
            <button
              type="button"
              className={styles.primary}
              onClick={() => downloadSvg(r.svg, item.file.name)}
            >
              Download SVG
            </button>
            <button
              type="button"
              onClick={async () => {
                setCopied((await copyText(r.svg)) ? 'ok' : 'failed');
                setTimeout(() => setCopied('idle'), 2000);
              }}
            >
              Copy SVG code
            </button>
            <span role="status" className={styles.muted}>
              {copied === 'ok' ? 'Copied to clipboard' : copied === 'failed' ? 'Copy failed' : ''}
            </span>
          </div>
        </>
      )}

      {!r && !busy && item.status !== 'error' && (
        // eslint-disable-next-line @next/next/no-img-element -- blob: URLs cannot go through next/image
        <img src={item.originalUrl} alt={`Original ${item.file.name}`} className={styles.thumb} />
      )}
    </article>
  );
}
