/** Small dependency-free SVG charts for the ops page (no CDN, no chart library), coloured by the design tokens. */
import type { CSSProperties } from 'react';
import styles from './charts.module.css';

export type Point = { x: number; y: number | null };

type LineChartProps = {
  points: Point[];
  label: string;
  width?: number;
  height?: number;
  formatY?: (y: number) => string;
  formatX?: (x: number) => string;
  /** Fixed y range (e.g. 0..1 for SSIM); default fits the data from 0. */
  yDomain?: [number, number];
  /** The line's CSS colour, e.g. 'var(--warn)'; default the accent. */
  color?: string;
};

export function LineChart({
  points,
  label,
  width = 420,
  height = 140,
  formatY = String,
  formatX,
  yDomain,
  color,
}: LineChartProps) {
  const pad = { l: 48, r: 8, t: 10, b: 22 };
  const valid = points.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y));
  if (valid.length === 0) {
    return (
      <svg
        role="img"
        aria-label={`${label}: no data yet`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
      >
        <text x={width / 2} y={height / 2} textAnchor="middle" fontSize="12" className={styles.axisLabel}>
          no data yet
        </text>
      </svg>
    );
  }
  const xs = points.map((p) => p.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const ys = valid.map((p) => p.y);
  const [y0, y1] = yDomain ?? [0, Math.max(...ys) * 1.1 || 1];
  const sx = (x: number) => pad.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y: number) =>
    pad.t + (1 - (Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0 || 1)) * (height - pad.t - pad.b);
  // Gaps (null) break the line instead of drawing a misleading slope across missing data.
  const segments: string[] = [];
  let current = '';
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += `${current ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
  }
  if (current) segments.push(current);
  const ticks = [y0, (y0 + y1) / 2, y1];
  const last = valid[valid.length - 1];
  return (
    <svg
      role="img"
      aria-label={`${label}, latest ${formatY(last.y)}`}
      width="100%"
      viewBox={`0 0 ${width} ${height}`}
      style={{ maxWidth: width, ...(color ? ({ '--series': color } as CSSProperties) : {}) }}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.l} x2={width - pad.r} y1={sy(t)} y2={sy(t)} className={styles.gridLine} />
          <text x={pad.l - 4} y={sy(t) + 4} textAnchor="end" fontSize="10" className={styles.axisLabel}>
            {formatY(t)}
          </text>
        </g>
      ))}
      {formatX && (
        <>
          <text x={pad.l} y={height - 6} fontSize="10" className={styles.axisLabel}>
            {formatX(x0)}
          </text>
          <text x={width - pad.r} y={height - 6} fontSize="10" className={styles.axisLabel} textAnchor="end">
            {formatX(x1)}
          </text>
        </>
      )}
      {segments.map((d, i) => (
        <path key={i} d={d} className={styles.series} strokeWidth="2" strokeLinejoin="round" />
      ))}
      {valid.length === 1 && <circle cx={sx(last.x)} cy={sy(last.y)} r="3" className={styles.seriesDot} />}
    </svg>
  );
}

export function BarChart({
  bars,
  label,
  width = 420,
  formatValue = String,
}: {
  bars: { label: string; value: number }[];
  label: string;
  width?: number;
  formatValue?: (v: number) => string;
}) {
  const rowH = 22;
  const height = Math.max(1, bars.length) * rowH + 4;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelW = 90;
  if (bars.length === 0) {
    return (
      <svg
        role="img"
        aria-label={`${label}: no data yet`}
        width={width}
        height={rowH}
        viewBox={`0 0 ${width} ${rowH}`}
      >
        <text x="0" y="15" fontSize="12" className={styles.axisLabel}>
          no data yet
        </text>
      </svg>
    );
  }
  return (
    <svg
      role="img"
      aria-label={label}
      width="100%"
      viewBox={`0 0 ${width} ${height}`}
      style={{ maxWidth: width }}
    >
      {bars.map((b, i) => {
        const w = ((width - labelW - 60) * b.value) / max;
        return (
          <g key={b.label} transform={`translate(0 ${i * rowH})`}>
            <text x="0" y="15" fontSize="12" className={styles.barLabel}>
              {b.label}
            </text>
            <rect x={labelW} y="4" width={Math.max(1, w)} height="14" rx="2" className={styles.bar} />
            <text x={labelW + w + 6} y="15" fontSize="12" className={styles.barValue}>
              {formatValue(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
