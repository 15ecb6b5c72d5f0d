'use client';
/**
 * Original and SVG compared with one shared zoom and pan: side by side, or overlaid with a split slider.
 * Both images are plain <img> elements (the SVG through a blob: URL), so SVG markup is never injected.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import styles from './compare-view.module.css';

type View = { scale: number; x: number; y: number };
const IDENTITY: View = { scale: 1, x: 0, y: 0 };
const MIN_SCALE = 1;
const MAX_SCALE = 16;

type CompareViewProps = {
  originalUrl: string;
  svgUrl: string | null;
  width: number;
  height: number;
  label: string;
};

function clampView(v: View, box: { w: number; h: number }): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale));
  // Keep the content covering the viewport: panning stops at the image edges.
  const maxX = 0;
  const minX = box.w - box.w * scale;
  const maxY = 0;
  const minY = box.h - box.h * scale;
  return { scale, x: Math.min(maxX, Math.max(minX, v.x)), y: Math.min(maxY, Math.max(minY, v.y)) };
}

export function CompareView({ originalUrl, svgUrl, width, height, label }: CompareViewProps) {
  const [mode, setMode] = useState<'side' | 'split'>('side');
  const [view, setView] = useState<View>(IDENTITY);
  const [split, setSplit] = useState(50);
  const drag = useRef<{ id: number; x: number; y: number; view: View } | null>(null);
  const firstPane = useRef<HTMLDivElement>(null);

  const boxOf = (el: HTMLElement) => ({ w: el.clientWidth, h: el.clientHeight });

  const zoomAt = (el: HTMLElement, factor: number, px?: number, py?: number) => {
    const box = boxOf(el);
    const cx = px ?? box.w / 2;
    const cy = py ?? box.h / 2;
    setView((v) => {
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
      const k = scale / v.scale;
      // Keep the point under the cursor fixed while zooming.
      return clampView({ scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k }, box);
    });
  };

  // A native listener: React's wheel handlers are passive and cannot stop the page from scrolling.
  const wheelZoom = (el: HTMLDivElement | null) => {
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      zoomAt(el, e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - rect.left, e.clientY - rect.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  };
  const firstPaneRef = (el: HTMLDivElement | null) => {
    firstPane.current = el;
    return wheelZoom(el);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, view };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const box = boxOf(e.currentTarget);
    setView(clampView({ ...d.view, x: d.view.x + e.clientX - d.x, y: d.view.y + e.clientY - d.y }, box));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    const step = 40;
    const box = boxOf(el);
    const pan = (dx: number, dy: number) =>
      setView((v) => clampView({ ...v, x: v.x + dx, y: v.y + dy }, box));
    const keys: Record<string, () => void> = {
      '+': () => zoomAt(el, 1.25),
      '=': () => zoomAt(el, 1.25),
      '-': () => zoomAt(el, 0.8),
      '0': () => setView(IDENTITY),
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const transform = { transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` };
  const aspect = { aspectRatio: `${width} / ${height}` };
  const paneHandlers = {
    onPointerDown,
    onPointerMove,
    onPointerUp,
    onPointerCancel: onPointerUp,
    onKeyDown,
    onDoubleClick: () => setView(IDENTITY),
    tabIndex: 0,
  };
  const svgImage = svgUrl ? (
    // eslint-disable-next-line @next/next/no-img-element -- blob: URLs cannot go through next/image
    <img src={svgUrl} alt={`SVG result of ${label}`} className={styles.image} draggable={false} />
  ) : (
    <div className={styles.placeholder}>Converting…</div>
  );
  const originalImage = (
    // eslint-disable-next-line @next/next/no-img-element -- blob: URLs cannot go through next/image
    <img src={originalUrl} alt={`Original ${label}`} className={styles.image} draggable={false} />
  );

  return (
    <div className={styles.root}>
      <div className={styles.toolbar} role="toolbar" aria-label={`Comparison controls for ${label}`}>
        <div className={styles.segmented} role="group" aria-label="Layout">
          <button type="button" aria-pressed={mode === 'side'} onClick={() => setMode('side')}>
            Side by side
          </button>
          <button
            type="button"
            aria-pressed={mode === 'split'}
            onClick={() => setMode('split')}
            disabled={!svgUrl}
          >
            Split
          </button>
        </div>
        <div className={styles.zoom} role="group" aria-label="Zoom">
          <button
            type="button"
            aria-label="Zoom out"
            onClick={() => firstPane.current && zoomAt(firstPane.current, 0.8)}
          >
            −
          </button>
          <output aria-live="polite" aria-label="Zoom level">
            {Math.round(view.scale * 100)}%
          </output>
          <button
            type="button"
            aria-label="Zoom in"
            onClick={() => firstPane.current && zoomAt(firstPane.current, 1.25)}
          >
            +
          </button>
          <button type="button" onClick={() => setView(IDENTITY)}>
            Reset
          </button>
        </div>
      </div>

      {mode === 'side' ? (
        <div className={styles.side}>
          <figure className={styles.figure}>
            <div
              ref={firstPaneRef}
              className={styles.viewport}
              style={aspect}
              aria-label={`Original ${label}; scroll or use + and − to zoom, drag or arrow keys to pan`}
              {...paneHandlers}
            >
              <div className={styles.content} style={transform}>
                {originalImage}
              </div>
            </div>
            <figcaption>Original</figcaption>
          </figure>
          <figure className={styles.figure}>
            <div
              ref={wheelZoom}
              className={styles.viewport}
              style={aspect}
              aria-label={`SVG of ${label}; zoom and pan follow the original`}
              {...paneHandlers}
            >
              <div className={styles.content} style={transform}>
                {svgImage}
              </div>
            </div>
            <figcaption>SVG</figcaption>
          </figure>
        </div>
      ) : (
        <figure className={styles.figure}>
          <div
            ref={firstPaneRef}
            className={styles.viewport}
            style={aspect}
            aria-label={`Original and SVG of ${label} split at ${split}%`}
            {...paneHandlers}
          >
            <div className={styles.layer}>
              <div className={styles.content} style={transform}>
                {originalImage}
              </div>
            </div>
            <div className={styles.layer} style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
              <div className={styles.content} style={transform}>
                {svgImage}
              </div>
            </div>
            <div className={styles.divider} style={{ left: `${split}%` }} aria-hidden="true" />
          </div>
          <figcaption className={styles.splitCaption}>
            <span>Original</span>
            <label>
              <span className={styles.visuallyHidden}>Split position</span>
              <input
                type="range"
                min={0}
                max={100}
                value={split}
                onChange={(e) => setSplit(Number(e.target.value))}
              />
            </label>
            <span>SVG</span>
          </figcaption>
        </figure>
      )}
    </div>
  );
}
