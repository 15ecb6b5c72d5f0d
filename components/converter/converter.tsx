'use client';
/**
 * The conversion page: drop, pick or paste images or whole folders; each converts through POST /api/v1/convert
 * (two at a time) with its own options, following the server's progress stages, and shows its comparison,
 * measurements and swatch editor. The options panel holds the defaults for new images. Cards, their results,
 * edits and undo steps are kept in the browser, so a reload finds them again.
 */
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { submitBatch } from '@/components/batches/batch-client';
import { BatchSummary, type BatchFigures } from './batch-summary';
import {
  loadCards,
  MAX_UNDO,
  saveCards,
  type Snapshot,
  type StoredBatch,
  type StoredCard,
} from './card-store';
import { namePasted, type IncomingFile } from './collect-files';
import { ConvertFailure, uploadForConversion } from './convert-client';
import { DOWNLOAD_FORMATS, downloadZip, type DownloadFormat } from './download';
import { DropZone } from './drop-zone';
import { DEFAULT_OPTIONS, loadOptions, saveOptions, toApiOptions, type UiOptions } from './options';
import { OptionsPanel } from './options-panel';
import { ResultCard, type ConvertItem } from './result-card';
import { applySwatchEdits, type SwatchEdit } from './swatch-edits';
import styles from './converter.module.css';

const CONCURRENCY = 2;
const MAX_AUTO_RETRIES = 3;
/** Sliders fire many changes: an image converts again once its options rest this long. */
const RECONVERT_DELAY_MS = 500;

let keySeq = 0;
const newKey = () => `f${Date.now().toString(36)}${(++keySeq).toString(36)}`;

function svgUrlOf(svg: string | undefined): string | undefined {
  return svg === undefined ? undefined : URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
}

function toStored(it: ConvertItem): StoredCard {
  return {
    key: it.key,
    file: it.file,
    path: it.path,
    batchId: it.batchId,
    options: it.options,
    result: it.result,
    edits: it.edits,
    undo: it.undo.slice(-MAX_UNDO),
  };
}

/** A CSV line per finished image, for the zip. */
function summaryCsv(items: ConvertItem[]): string {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const rows = items.map((it) =>
    [
      quote(it.path),
      it.result?.type ?? '',
      it.result?.tier ?? '',
      it.result?.quality.ssim ?? '',
      it.svg ? new Blob([it.svg]).size : '',
      it.file.size,
      it.status === 'error' ? quote(it.error ?? 'failed') : '',
    ].join(','),
  );
  return ['file,type,tier,ssim,svg_bytes,input_bytes,error', ...rows].join('\n') + '\n';
}

/**
 * `autoBatchFiles`: a drop of more files than this goes to the server as one batch (BATCH_AUTO_FILES) and the
 * page moves to /batches to follow it.
 */
export function Converter({ autoBatchFiles = Infinity }: { autoBatchFiles?: number } = {}) {
  const router = useRouter();
  const [items, setItems] = useState<ConvertItem[]>([]);
  const [batches, setBatches] = useState<StoredBatch[]>([]);
  const [defaults, setDefaults] = useState<UiOptions>(DEFAULT_OPTIONS);
  const [announcement, setAnnouncement] = useState('');
  const [zipFormats, setZipFormats] = useState<DownloadFormat[]>(['svg']);
  const [zipping, setZipping] = useState(false);
  const [zipSvg, setZipSvg] = useState({ pretty: false, layers: false });
  const [restored, setRestored] = useState(false);
  const running = useRef(new Map<string, AbortController>());
  const retries = useRef(new Map<string, number>());
  const retryTimers = useRef(new Map<string, ReturnType<typeof setInterval>>());
  const reconvertTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const defaultsRef = useRef(defaults);
  const itemsRef = useRef(items);
  useEffect(() => {
    itemsRef.current = items;
  }, [items]);

  // Remembered defaults and the last visit's cards are read after hydration, so server and client render alike.
  useEffect(() => {
    const stored = loadOptions();
    defaultsRef.current = stored;
    // localStorage and IndexedDB exist only in the browser, after hydration; one extra render at load.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDefaults(stored);
    let cancelled = false;
    void loadCards().then(({ cards, batches: kept }) => {
      if (cancelled) return;
      const revived = cards.map<ConvertItem>((c) => {
        const svg = c.result ? applySwatchEdits(c.result.svg, c.edits) : undefined;
        return {
          ...c,
          appliedOptions: c.options,
          originalUrl: URL.createObjectURL(c.file),
          // what was converting when the page went away converts again
          status: c.result ? 'done' : 'queued',
          progress: 0,
          svg,
          svgUrl: svgUrlOf(svg),
        };
      });
      setItems((list) => [...list, ...revived]);
      setBatches((list) => [...list, ...kept.filter((b) => !list.some((x) => x.id === b.id))]);
      setRestored(true);
      if (revived.length)
        setAnnouncement(`${revived.length} earlier result${revived.length === 1 ? '' : 's'} restored`);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  // Keep the cards in IndexedDB: the changed ones, once the list rests.
  const saved = useRef(new Map<string, StoredCard>());
  useEffect(() => {
    if (!restored) return;
    const timer = setTimeout(() => {
      const changed: StoredCard[] = [];
      for (const it of items) {
        const next = toStored(it);
        const prev = saved.current.get(it.key);
        if (
          !prev ||
          prev.result !== next.result ||
          prev.options !== next.options ||
          prev.edits !== next.edits ||
          prev.undo.length !== next.undo.length
        ) {
          changed.push(next);
          saved.current.set(it.key, next);
        }
      }
      const keys = new Set(items.map((it) => it.key));
      const removed = [...saved.current.keys()].filter((k) => !keys.has(k));
      for (const k of removed) saved.current.delete(k);
      const liveBatches = batches.filter((b) => items.some((it) => it.batchId === b.id));
      void saveCards(
        changed,
        items.map((it) => it.key),
        liveBatches,
        removed,
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [items, batches, restored]);

  const update = useCallback(
    (key: string, patch: Partial<ConvertItem> | ((it: ConvertItem) => Partial<ConvertItem>)) => {
      setItems((list) =>
        list.map((it) =>
          it.key === key ? { ...it, ...(typeof patch === 'function' ? patch(it) : patch) } : it,
        ),
      );
    },
    [],
  );

  const waitThenRequeue = useCallback(
    (key: string, seconds: number) => {
      let left = Math.ceil(seconds);
      update(key, { status: 'waiting', retryIn: left });
      const tick = setInterval(() => {
        left -= 1;
        if (left <= 0) {
          clearInterval(tick);
          retryTimers.current.delete(key);
          update(key, { status: 'queued', retryIn: undefined });
        } else {
          update(key, { retryIn: left });
        }
      }, 1000);
      retryTimers.current.set(key, tick);
    },
    [update],
  );

  const start = useCallback(
    (item: ConvertItem) => {
      const controller = new AbortController();
      running.current.set(item.key, controller);
      const asked = item.options;
      update(item.key, { status: 'uploading', progress: 0, stage: undefined, error: undefined });
      uploadForConversion(
        item.file,
        item.file.name,
        toApiOptions(asked),
        (p) =>
          update(
            item.key,
            p.phase === 'uploading'
              ? { status: 'uploading', progress: p.fraction }
              : { status: 'converting', stage: { stage: p.stage, attempt: p.attempt } },
          ),
        controller.signal,
      )
        .then((result) => {
          retries.current.delete(item.key);
          setItems((list) =>
            list.map((it) => {
              if (it.key !== item.key) return it;
              if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
              // the state it leaves becomes an undo step; its edits apply to the new result too
              const undo: Snapshot[] = it.result
                ? [
                    ...it.undo,
                    { options: it.appliedOptions ?? asked, result: it.result, edits: it.edits },
                  ].slice(-MAX_UNDO)
                : it.undo;
              const svg = applySwatchEdits(result.svg, it.edits);
              return {
                ...it,
                status: 'done',
                stage: undefined,
                result,
                appliedOptions: asked,
                svg,
                svgUrl: svgUrlOf(svg),
                undo,
                error: undefined,
              };
            }),
          );
          setAnnouncement(
            `${item.path} converted, SSIM ${result.quality.ssim?.toFixed(3) ?? 'not measured'}`,
          );
        })
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          const failure =
            error instanceof ConvertFailure ? error : new ConvertFailure(String(error), 0, null);
          const attempts = retries.current.get(item.key) ?? 0;
          if ((failure.status === 429 || failure.status === 503) && attempts < MAX_AUTO_RETRIES) {
            retries.current.set(item.key, attempts + 1);
            waitThenRequeue(item.key, Math.min(failure.retryAfter ?? 2, 30));
            return;
          }
          retries.current.delete(item.key);
          update(item.key, {
            status: 'error',
            stage: undefined,
            error: failure.message,
            errorStatus: failure.status,
          });
          setAnnouncement(`${item.path} failed: ${failure.message}`);
        })
        .finally(() => {
          if (running.current.get(item.key) === controller) running.current.delete(item.key);
          setItems((list) => [...list]);
        });
    },
    [update, waitThenRequeue],
  );

  // The scheduler: whenever the list changes, start queued items while slots are free.
  useEffect(() => {
    const free = CONCURRENCY - running.current.size;
    if (free <= 0) return;
    items
      .filter((it) => it.status === 'queued' && !running.current.has(it.key))
      .slice(0, free)
      .forEach(start);
  }, [items, start]);

  /** Stops what is running or waiting for this image (its shown result stays). */
  const stop = useCallback((key: string) => {
    clearInterval(retryTimers.current.get(key));
    retryTimers.current.delete(key);
    clearTimeout(reconvertTimers.current.get(key));
    reconvertTimers.current.delete(key);
    running.current.get(key)?.abort();
    running.current.delete(key);
    retries.current.delete(key);
  }, []);

  /** Converts this image again with its current options, after they rest. */
  const reconvertSoon = useCallback(
    (key: string) => {
      clearTimeout(reconvertTimers.current.get(key));
      reconvertTimers.current.set(
        key,
        setTimeout(() => {
          reconvertTimers.current.delete(key);
          stop(key);
          update(key, { status: 'queued', progress: 0, stage: undefined, error: undefined });
        }, RECONVERT_DELAY_MS),
      );
    },
    [stop, update],
  );

  const changeItemOptions = (key: string, next: UiOptions) => {
    update(key, { options: next });
    reconvertSoon(key);
  };

  const editSwatch = (key: string, edit: SwatchEdit, retrace: boolean) => {
    if (retrace) stop(key);
    update(key, (it) => {
      if (!it.result) return {};
      const step: Snapshot = { options: it.options, result: it.result, edits: it.edits };
      if (retrace && edit.op === 'drop') {
        // shapes change: trace again without the colour; the current result stays until then
        return {
          options: { ...it.options, remove: [...new Set([...it.options.remove, edit.color])] },
          status: 'queued',
          progress: 0,
        };
      }
      const edits = [...it.edits, edit];
      const svg = applySwatchEdits(it.result.svg, edits);
      if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
      return { edits, svg, svgUrl: svgUrlOf(svg), undo: [...it.undo, step].slice(-MAX_UNDO) };
    });
    if (!retrace || edit.op !== 'drop') {
      setAnnouncement(edit.op === 'drop' ? `Removed ${edit.color}` : `Changed ${edit.from} to ${edit.to}`);
    }
  };

  const undo = (key: string) => {
    stop(key);
    update(key, (it) => {
      const last = it.undo.at(-1);
      if (!last) return {};
      if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
      const svg = last.result ? applySwatchEdits(last.result.svg, last.edits) : undefined;
      return {
        options: last.options,
        appliedOptions: last.options,
        result: last.result,
        edits: last.edits,
        svg,
        svgUrl: svgUrlOf(svg),
        undo: it.undo.slice(0, -1),
        status: last.result ? 'done' : 'queued',
        error: undefined,
      };
    });
    setAnnouncement('Undone');
  };

  // Changing the defaults changes nothing on the page: they are for the next images (and remembered).
  const changeDefaults = (next: UiOptions) => {
    setDefaults(next);
    defaultsRef.current = next;
    saveOptions(next);
  };

  const applyDefaultsToAll = () => {
    for (const it of itemsRef.current) stop(it.key);
    setItems((list) =>
      list.map((it) => ({
        ...it,
        options: defaultsRef.current,
        status: 'queued',
        progress: 0,
        stage: undefined,
        error: undefined,
      })),
    );
  };

  // Free object URLs when the page goes away.
  useEffect(
    () => () => {
      for (const it of itemsRef.current) {
        URL.revokeObjectURL(it.originalUrl);
        if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
      }
    },
    [],
  );

  /**
   * The one way files come in (drop, picker, folder, paste): a batch of new cards with the current defaults.
   * Kept in one function so a batch of many files can be handed elsewhere (the batch API) in one place.
   */
  const intakeFiles = useCallback(
    (incoming: IncomingFile[], label?: string) => {
      if (incoming.length === 0) return;
      if (incoming.length > autoBatchFiles) {
        setAnnouncement(`${incoming.length} files: sending them as one batch…`);
        void submitBatch(incoming, toApiOptions(defaultsRef.current)).then(
          (id) => router.push(`/batches?id=${encodeURIComponent(id)}`),
          (e: unknown) => setAnnouncement(`The batch could not be sent: ${(e as Error).message}`),
        );
        return;
      }
      const batch: StoredBatch = {
        id: newKey(),
        label: label ?? (incoming.length === 1 ? incoming[0].path : `${incoming.length} images`),
        createdAt: Date.now(),
      };
      const added = incoming.map<ConvertItem>(({ file, path }) => ({
        key: newKey(),
        file,
        path,
        batchId: batch.id,
        originalUrl: URL.createObjectURL(file),
        options: defaultsRef.current,
        status: 'queued',
        progress: 0,
        edits: [],
        undo: [],
      }));
      setBatches((list) => [...list, batch]);
      setItems((list) => [...added, ...list]);
      setAnnouncement(`${incoming.length} file${incoming.length === 1 ? '' : 's'} added`);
    },
    [autoBatchFiles, router],
  );

  // Paste anywhere on the page (Ctrl+V / Cmd+V) adds the clipboard's images.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      intakeFiles(namePasted(files).map((file) => ({ file, path: file.name })));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [intakeFiles]);

  const remove = (key: string) => {
    stop(key);
    setItems((list) => {
      const gone = list.find((it) => it.key === key);
      if (gone) {
        URL.revokeObjectURL(gone.originalUrl);
        if (gone.svgUrl) URL.revokeObjectURL(gone.svgUrl);
      }
      return list.filter((it) => it.key !== key);
    });
  };

  const done = items.filter((it) => it.result && it.svg);
  const figures: BatchFigures[] = batches
    .map((b) => {
      const members = items.filter((it) => it.batchId === b.id);
      const finished = members.filter((it) => it.result);
      const measured = finished.map((it) => it.result!.quality.ssim).filter((s): s is number => s !== null);
      return {
        id: b.id,
        label: b.label,
        total: members.length,
        done: finished.length,
        failed: members.filter((it) => it.status === 'error').length,
        meanSsim: measured.length ? measured.reduce((a, s) => a + s, 0) / measured.length : null,
        svgBytes: finished.reduce((a, it) => a + new Blob([it.svg ?? '']).size, 0),
        inputBytes: finished.reduce((a, it) => a + it.file.size, 0),
      };
    })
    .filter((b) => b.total > 0);

  return (
    <div className={styles.layout}>
      <div className={styles.intake}>
        <DropZone onFiles={intakeFiles} />
      </div>
      <div className={styles.sidebar}>
        <OptionsPanel
          value={defaults}
          onChange={changeDefaults}
          title="Options for new images"
          note="Each image keeps the options it was added with; change them on its card."
        />
        <button type="button" disabled={items.length === 0} onClick={applyDefaultsToAll}>
          Apply these options to all images
        </button>
      </div>
      <section className={styles.results} aria-labelledby="results-heading">
        <div className={styles.resultsHeader}>
          <h2 id="results-heading" className={styles.sectionTitle}>
            Results{' '}
            {items.length > 0 && (
              <span className={styles.muted}>
                ({done.length} of {items.length})
              </span>
            )}
          </h2>
          <div className={styles.actions}>
            <fieldset className={styles.zipFormats}>
              <legend className={styles.visuallyHidden}>Formats in the zip</legend>
              {DOWNLOAD_FORMATS.filter((f) => f.value !== 'png4').map((f) => (
                <label key={f.value}>
                  <input
                    type="checkbox"
                    checked={zipFormats.includes(f.value)}
                    onChange={(e) =>
                      setZipFormats((list) =>
                        e.target.checked
                          ? [...list, f.value]
                          : list.length > 1
                            ? list.filter((x) => x !== f.value)
                            : list,
                      )
                    }
                  />
                  {f.label}
                </label>
              ))}
            </fieldset>
            <fieldset className={styles.zipFormats}>
              <legend className={styles.visuallyHidden}>SVG files in the zip</legend>
              <label>
                <input
                  type="checkbox"
                  checked={zipSvg.pretty}
                  onChange={(e) => setZipSvg((o) => ({ ...o, pretty: e.target.checked }))}
                />
                Indented
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={zipSvg.layers}
                  onChange={(e) => setZipSvg((o) => ({ ...o, layers: e.target.checked }))}
                />
                Layer ids
              </label>
            </fieldset>
            <button
              type="button"
              disabled={done.length === 0 || zipping}
              onClick={async () => {
                setZipping(true);
                try {
                  const formats = DOWNLOAD_FORMATS.map((f) => f.value).filter((v) => zipFormats.includes(v));
                  await downloadZip(
                    done.map((it) => ({ name: it.path, svg: it.svg! })),
                    formats,
                    summaryCsv(items),
                    { svg: zipSvg.pretty ? 'pretty' : 'minified', layers: zipSvg.layers },
                  );
                } catch (error) {
                  setAnnouncement(
                    `The zip failed: ${error instanceof Error ? error.message : String(error)}`,
                  );
                } finally {
                  setZipping(false);
                }
              }}
            >
              {zipping ? 'Preparing zip…' : 'Download all (.zip)'}
            </button>
            <button
              type="button"
              disabled={items.length === 0}
              onClick={() => items.forEach((it) => remove(it.key))}
            >
              Clear
            </button>
          </div>
        </div>
        <p className={styles.visuallyHidden} role="status" aria-live="polite">
          {announcement}
        </p>
        <BatchSummary batches={figures} />
        {items.length === 0 ? (
          <p className={styles.empty}>Your converted images will appear here.</p>
        ) : (
          <div className={styles.cards}>
            {items.map((item) => (
              <ResultCard
                key={item.key}
                item={item}
                onRemove={() => remove(item.key)}
                onRetry={() => update(item.key, { status: 'queued', error: undefined })}
                onOptions={(next) => changeItemOptions(item.key, next)}
                onEdit={(edit, retrace) => editSwatch(item.key, edit, retrace)}
                onUndo={() => undo(item.key)}
              />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
