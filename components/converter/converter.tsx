'use client';
/**
 * The conversion page: drop, pick or paste images; each converts through POST /api/v1/convert (two at a time)
 * and shows its comparison and measurements. Option changes re-convert everything after a short pause.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ConvertFailure, uploadForConversion } from './convert-client';
import { downloadZip } from './download';
import { DropZone } from './drop-zone';
import { DEFAULT_OPTIONS, loadOptions, saveOptions, toApiOptions, type UiOptions } from './options';
import { OptionsPanel } from './options-panel';
import { ResultCard, type ConvertItem } from './result-card';
import styles from './converter.module.css';

const CONCURRENCY = 2;
const MAX_AUTO_RETRIES = 3;
const RECONVERT_DELAY_MS = 500;

let keySeq = 0;

export function Converter() {
  const [items, setItems] = useState<ConvertItem[]>([]);
  const [options, setOptions] = useState<UiOptions>(DEFAULT_OPTIONS);
  const [announcement, setAnnouncement] = useState('');
  const running = useRef(new Map<string, AbortController>());
  const retries = useRef(new Map<string, number>());
  const retryTimers = useRef(new Map<string, ReturnType<typeof setInterval>>());
  const optionsRef = useRef(options);

  // Remembered options are read after hydration so server and client render the same first frame.
  useEffect(() => {
    const stored = loadOptions();
    optionsRef.current = stored;
    // localStorage exists only in the browser, after hydration; one extra render at load is the price.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOptions(stored);
  }, []);

  const update = useCallback((key: string, patch: Partial<ConvertItem>) => {
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...patch } : it)));
  }, []);

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
      update(item.key, { status: 'uploading', progress: 0, error: undefined });
      uploadForConversion(
        item.file,
        item.file.name,
        toApiOptions(optionsRef.current),
        (p) =>
          update(
            item.key,
            p.phase === 'uploading'
              ? { status: 'uploading', progress: p.fraction }
              : { status: 'converting' },
          ),
        controller.signal,
      )
        .then((result) => {
          retries.current.delete(item.key);
          const svgUrl = URL.createObjectURL(new Blob([result.svg], { type: 'image/svg+xml' }));
          setItems((list) =>
            list.map((it) => {
              if (it.key !== item.key) return it;
              if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
              return { ...it, status: 'done', result, svgUrl, error: undefined };
            }),
          );
          setAnnouncement(
            `${item.file.name} converted, SSIM ${result.quality.ssim?.toFixed(3) ?? 'not measured'}`,
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
          update(item.key, { status: 'error', error: failure.message, errorStatus: failure.status });
          setAnnouncement(`${item.file.name} failed: ${failure.message}`);
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

  // Option changes (only the user's, not the remembered ones restored at load): remember them and
  // re-convert everything after a pause, since sliders fire many changes.
  const reconvertTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const changeOptions = (next: UiOptions) => {
    setOptions(next);
    optionsRef.current = next;
    saveOptions(next);
    clearTimeout(reconvertTimer.current);
    reconvertTimer.current = setTimeout(() => {
      for (const c of running.current.values()) c.abort();
      running.current.clear();
      retries.current.clear();
      for (const t of retryTimers.current.values()) clearInterval(t);
      retryTimers.current.clear();
      setItems((list) => list.map((it) => ({ ...it, status: 'queued', progress: 0, error: undefined })));
    }, RECONVERT_DELAY_MS);
  };

  // Free object URLs when the page goes away.
  const itemsRef = useRef(items);
  useEffect(() => {
    itemsRef.current = items;
  }, [items]);
  useEffect(
    () => () => {
      for (const it of itemsRef.current) {
        URL.revokeObjectURL(it.originalUrl);
        if (it.svgUrl) URL.revokeObjectURL(it.svgUrl);
      }
    },
    [],
  );

  const addFiles = useCallback((files: File[]) => {
    if (files.length === 0) return;
    const added = files.map<ConvertItem>((file) => ({
      key: `f${++keySeq}`,
      file,
      originalUrl: URL.createObjectURL(file),
      status: 'queued',
      progress: 0,
    }));
    setItems((list) => [...added, ...list]);
    setAnnouncement(`${files.length} file${files.length === 1 ? '' : 's'} added`);
  }, []);

  // Paste anywhere on the page (Ctrl+V / Cmd+V) adds the clipboard's images.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      addFiles(
        files.map((f, i) =>
          f.name && f.name !== 'image.png'
            ? f
            : new File([f], `pasted-${Date.now()}-${i + 1}.${f.type.split('/')[1] || 'png'}`, {
                type: f.type,
              }),
        ),
      );
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [addFiles]);

  const remove = (key: string) => {
    clearInterval(retryTimers.current.get(key));
    retryTimers.current.delete(key);
    running.current.get(key)?.abort();
    running.current.delete(key);
    setItems((list) => {
      const gone = list.find((it) => it.key === key);
      if (gone) {
        URL.revokeObjectURL(gone.originalUrl);
        if (gone.svgUrl) URL.revokeObjectURL(gone.svgUrl);
      }
      return list.filter((it) => it.key !== key);
    });
  };

  const done = items.filter((it) => it.result);
  const [zipping, setZipping] = useState(false);

  return (
    <div className={styles.layout}>
      <div className={styles.sidebar}>
        <DropZone onFiles={addFiles} />
        <OptionsPanel value={options} onChange={changeOptions} />
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
            <button
              type="button"
              disabled={done.length === 0 || zipping}
              onClick={async () => {
                setZipping(true);
                try {
                  await downloadZip(done.map((it) => ({ name: it.file.name, svg: it.result!.svg })));
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
              />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
