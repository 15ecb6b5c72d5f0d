'use client';
/**
 * One image: its progress (upload, then the conversion's stages) or error, the comparison, the measurements,
 * the swatch editor, downloads in every format, undo, and its own options (changing them re-converts this image
 * only; the previous result stays until the new one arrives).
 */
import { useState } from 'react';
import { CompareView } from '@/components/compare-view/compare-view';
import type { Snapshot } from './card-store';
import type { ConvertResult } from './convert-client';
import { copyText, downloadAs, DOWNLOAD_FORMATS, titleOf, type DownloadFormat } from './download';
import { formatBytes, formatImageType, formatMs, formatSsim, formatTarget } from './format';
import type { UiOptions } from './options';
import { OptionsPanel } from './options-panel';
import { PaletteEditor } from './palette-editor';
import type { SwatchEdit } from './swatch-edits';
import styles from './converter.module.css';

type ItemStatus = 'queued' | 'uploading' | 'converting' | 'waiting' | 'done' | 'error';
type Stage = 'queued' | 'decode' | 'analyse' | 'trace' | 'measure';

export type ConvertItem = {
  key: string;
  file: File;
  /** The name shown: the file name, or its path inside a dropped folder. */
  path: string;
  batchId: string;
  originalUrl: string;
  /** This image's own options (a copy of the defaults when it was added). */
  options: UiOptions;
  /** The options the shown result was made with. */
  appliedOptions?: UiOptions;
  status: ItemStatus;
  /** Upload progress 0..1 while uploading. */
  progress: number;
  stage?: { stage: Stage; attempt?: number };
  result?: ConvertResult;
  /** Swatch edits on the result, applied in order. */
  edits: SwatchEdit[];
  /** The result's SVG with the edits applied: what is shown, copied and downloaded. */
  svg?: string;
  svgUrl?: string;
  /** Earlier states, the latest last. */
  undo: Snapshot[];
  error?: string;
  /** HTTP status of the failure (0 = network); decides whether "Try again" can help. */
  errorStatus?: number;
  /** Seconds left before an automatic retry (429/503). */
  retryIn?: number;
};

const STAGES: Stage[] = ['queued', 'decode', 'analyse', 'trace', 'measure'];
const STAGE_TEXT: Record<Stage, string> = {
  queued: 'Waiting for a worker…',
  decode: 'Decoding…',
  analyse: 'Analysing the image…',
  trace: 'Tracing…',
  measure: 'Measuring fidelity…',
};

function statusText(item: ConvertItem): string {
  switch (item.status) {
    case 'queued':
      return item.result ? 'Waiting to convert again…' : 'Waiting…';
    case 'uploading':
      return `Uploading ${Math.round(item.progress * 100)}%`;
    case 'converting': {
      const s = item.stage;
      if (!s) return 'Converting…';
      const text = STAGE_TEXT[s.stage];
      return s.attempt && s.attempt > 1 ? `${text.replace('…', '')} (attempt ${s.attempt})…` : text;
    }
    case 'waiting':
      return `Server busy, retrying in ${item.retryIn ?? 1} s…`;
    case 'done':
      return 'Done';
    case 'error':
      return 'Failed';
  }
}

/** Upload is the first fifth of the bar, then each stage a fifth more. */
function progressValue(item: ConvertItem): number | undefined {
  if (item.status === 'uploading') return item.progress * 0.2;
  if (item.status === 'converting' && item.stage)
    return 0.2 + (STAGES.indexOf(item.stage.stage) / STAGES.length) * 0.8;
  return undefined;
}

/** A retry can help after network trouble, overload or a server error, not after a refused file. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 0 || status === 429 || status >= 500;
}

export function ResultCard({
  item,
  onRemove,
  onRetry,
  onOptions,
  onEdit,
  onUndo,
}: {
  item: ConvertItem;
  onRemove: () => void;
  onRetry: () => void;
  onOptions: (next: UiOptions) => void;
  onEdit: (edit: SwatchEdit, retrace: boolean) => void;
  onUndo: () => void;
}) {
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const [format, setFormat] = useState<DownloadFormat>('svg');
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [svgStyle, setSvgStyle] = useState<'minified' | 'pretty'>('minified');
  const [svgTitle, setSvgTitle] = useState(() => titleOf(item.file.name));
  const [layerIds, setLayerIds] = useState(false);
  const busy =
    item.status === 'queued' ||
    item.status === 'uploading' ||
    item.status === 'converting' ||
    item.status === 'waiting';
  const r = item.result;
  const svg = item.svg ?? r?.svg;
  const headingId = `item-${item.key}`;
  const formatLabel = DOWNLOAD_FORMATS.find((f) => f.value === format)!.label;

  return (
    <article className={styles.card} aria-labelledby={headingId} aria-busy={busy} data-status={item.status}>
      <header className={styles.cardHeader}>
        <h3 id={headingId} className={styles.fileName} title={item.path}>
          {item.path}
        </h3>
        <span className={styles.fileSize}>{formatBytes(item.file.size)}</span>
        <button type="button" className={styles.ghost} onClick={onRemove} aria-label={`Remove ${item.path}`}>
          ✕
        </button>
      </header>

      {busy && (
        <div className={styles.progressRow} role="status" aria-live="polite">
          <progress max={1} value={progressValue(item)} aria-label={`Progress of ${item.path}`} />
          <span data-testid="item-status">
            {statusText(item)}
            {r && (
              <span className={styles.muted}> The previous result stays until the new one is ready.</span>
            )}
          </span>
        </div>
      )}

      {item.status === 'error' && (
        <div className={styles.error} role="alert">
          <strong>{r ? 'Could not convert this image again.' : 'Could not convert this file.'}</strong>{' '}
          <span data-testid="item-error">{item.error}</span>{' '}
          {retryable(item.errorStatus) && (
            <button type="button" className={styles.linkButton} onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      )}

      {r && svg && (
        <>
          <CompareView
            originalUrl={item.originalUrl}
            svgUrl={item.svgUrl ?? null}
            width={r.width}
            height={r.height}
            label={item.path}
          />
          <dl className={styles.stats} aria-label={`Measurements of ${item.path}`}>
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
              <dt title="Edge error (GMSD): how far the SVG's edges are from the original's; 0 = every edge in place">
                Edge error
              </dt>
              <dd data-testid="gmsd">{r.quality.gmsd === null ? '—' : r.quality.gmsd.toFixed(3)}</dd>
            </div>
            <div>
              <dt title="The SSIM the router aims for with this image type (or the one you set)">Target</dt>
              <dd data-testid="target">{formatTarget(r.target, r.targetMet)}</dd>
            </div>
            <div>
              <dt>SVG size</dt>
              <dd data-testid="svg-size">{formatBytes(new Blob([svg]).size)}</dd>
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
          <PaletteEditor
            svg={svg}
            layering={r.params.layering}
            name={item.path}
            busy={busy}
            onEdit={onEdit}
          />
          <div className={styles.actions} data-testid="format-menu">
            <label className={styles.inlineLabel} htmlFor={`${headingId}-format`}>
              Format
            </label>
            <select
              id={`${headingId}-format`}
              value={format}
              onChange={(e) => setFormat(e.target.value as DownloadFormat)}
            >
              {DOWNLOAD_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className={styles.primary}
              disabled={downloading}
              onClick={async () => {
                setDownloading(true);
                setDownloadError(null);
                try {
                  await downloadAs(svg, item.file.name, format, {
                    svg: svgStyle,
                    title: svgTitle.trim(),
                    layers: layerIds,
                  });
                } catch (error) {
                  setDownloadError(error instanceof Error ? error.message : String(error));
                } finally {
                  setDownloading(false);
                }
              }}
            >
              {downloading ? `Preparing ${formatLabel}…` : `Download ${formatLabel}`}
            </button>
            <button
              type="button"
              onClick={async () => {
                setCopied((await copyText(svg)) ? 'ok' : 'failed');
                setTimeout(() => setCopied('idle'), 2000);
              }}
            >
              Copy SVG code
            </button>
            <button type="button" disabled={item.undo.length === 0 || busy} onClick={onUndo}>
              Undo
            </button>
            <span role="status" className={styles.muted}>
              {copied === 'ok' ? 'Copied to clipboard' : copied === 'failed' ? 'Copy failed' : ''}
            </span>
            {format === 'svg' && (
              <fieldset className={styles.svgOptions} data-testid="svg-options">
                <legend>SVG</legend>
                <label className={styles.inlineLabel}>
                  Style{' '}
                  <select
                    value={svgStyle}
                    onChange={(e) => setSvgStyle(e.target.value as 'minified' | 'pretty')}
                  >
                    <option value="minified">Minified</option>
                    <option value="pretty">Pretty (indented)</option>
                  </select>
                </label>
                <label className={styles.inlineLabel}>
                  Title{' '}
                  <input
                    type="text"
                    maxLength={200}
                    value={svgTitle}
                    onChange={(e) => setSvgTitle(e.target.value)}
                  />
                </label>
                <label className={styles.check}>
                  <input type="checkbox" checked={layerIds} onChange={(e) => setLayerIds(e.target.checked)} />
                  Layer ids (layer-1 …)
                </label>
              </fieldset>
            )}
          </div>
          {downloadError && (
            <p className={styles.error} role="alert">
              {downloadError}
            </p>
          )}
        </>
      )}

      {!r && !busy && item.status !== 'error' && (
        // eslint-disable-next-line @next/next/no-img-element -- blob: URLs cannot go through next/image
        <img src={item.originalUrl} alt={`Original ${item.path}`} className={styles.thumb} />
      )}

      <details className={styles.cardOptions}>
        <summary>Options for this image</summary>
        <OptionsPanel
          value={item.options}
          onChange={onOptions}
          idPrefix={`${headingId}-opt`}
          title={`Options for ${item.path}`}
          headingLevel={4}
          note="Changes convert this image again; the others keep theirs."
        />
      </details>
    </article>
  );
}
