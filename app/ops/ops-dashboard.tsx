'use client';
/** The live ops dashboard: polls /ops/snapshot and redraws health, traffic, conversions, quality and cache. */
import { useEffect, useState } from 'react';
import type { OpsSnapshot } from '@/lib/ops/snapshot';
import { BarChart, LineChart } from './charts';
import styles from './ops.module.css';

const REFRESH_MS = 5000;

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`;
const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
const clock = (t: number) => new Date(t).toISOString().slice(11, 16);

export function OpsDashboard({ initial }: { initial: OpsSnapshot }) {
  const [snap, setSnap] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch('/ops/snapshot', { cache: 'no-store' });
        if (!res.ok) throw new Error(`snapshot answered ${res.status}`);
        const next = (await res.json()) as OpsSnapshot;
        if (!stopped) {
          setSnap(next);
          setError(null);
        }
      } catch (err) {
        if (!stopped) setError((err as Error).message);
      }
    };
    const id = setInterval(tick, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(id);
    };
  }, []);

  const t = snap.traffic;
  const history = 'error' in snap.history ? null : snap.history;
  return (
    <div className={styles.grid}>
      <p className={styles.meta} aria-live="polite">
        {snap.environment} · version {snap.version} · up {Math.round(snap.uptimeSeconds / 60)} min · updated{' '}
        {snap.generatedAt.slice(11, 19)} UTC{error ? ` · refresh failed: ${error}` : ''}
      </p>

      <section className={styles.card} aria-labelledby="health-h">
        <h2 id="health-h">
          Health <span className={styles[snap.health.status]}>{snap.health.status}</span>
        </h2>
        <table className={styles.table}>
          <tbody>
            {snap.health.checks.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td className={styles.status}>
                  <span className={styles[c.status]}>{c.status}</span>
                  {c.critical === false ? '' : ' (critical)'}
                </td>
                <td>{c.detail}</td>
                <td className={styles.num}>{c.durationMs !== undefined ? ms(c.durationMs) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className={styles.card} aria-labelledby="traffic-h">
        <h2 id="traffic-h">Traffic (last 5 min, this instance)</h2>
        <dl className={styles.stats}>
          <div>
            <dt>Requests/s</dt>
            <dd>{t.requestsPerSecond.toFixed(2)}</dd>
          </div>
          <div>
            <dt>p50</dt>
            <dd>{ms(t.latencyMs.p50)}</dd>
          </div>
          <div>
            <dt>p95</dt>
            <dd>{ms(t.latencyMs.p95)}</dd>
          </div>
          <div>
            <dt>p99</dt>
            <dd>{ms(t.latencyMs.p99)}</dd>
          </div>
          <div>
            <dt>5xx rate</dt>
            <dd>{pct(t.errorRate)}</dd>
          </div>
          <div>
            <dt>In flight</dt>
            <dd>{snap.inFlight}</dd>
          </div>
          <div>
            <dt>Queue</dt>
            <dd>
              {snap.queue
                ? `${snap.queue.queued}/${snap.queue.maxQueue} (${snap.queue.busy}/${snap.queue.threads} busy)`
                : '–'}
            </dd>
          </div>
          <div>
            <dt>Batch jobs waiting</dt>
            <dd>{snap.batches ? snap.batches.waiting : '–'}</dd>
          </div>
          <div>
            <dt>Oldest batch job</dt>
            <dd>{snap.batches ? `${Math.round(snap.batches.oldestAgeSeconds)} s` : '–'}</dd>
          </div>
          <div>
            <dt>Batch jobs finished here</dt>
            <dd>
              {snap.batches
                ? `${snap.batches.finished.done} done, ${snap.batches.finished.failed} failed, ${snap.batches.finished.cancelled} cancelled`
                : '–'}
            </dd>
          </div>
        </dl>
        <h3>Requests per 10 s</h3>
        <LineChart
          label="Requests per 10 seconds"
          points={t.series.map((b) => ({ x: b.start, y: b.requests }))}
          formatX={clock}
        />
        <h3>p95 latency per 10 s</h3>
        <LineChart
          label="p95 latency"
          points={t.series.map((b) => ({ x: b.start, y: b.p95Ms }))}
          formatY={(v) => `${Math.round(v)}ms`}
          formatX={clock}
          color="var(--warn)"
        />
      </section>

      <section className={styles.card} aria-labelledby="conv-h">
        <h2 id="conv-h">Conversions</h2>
        <h3>By type (all time{history ? `, ${history.total} total` : ''})</h3>
        <BarChart
          label="Conversions by image type"
          bars={(history?.byType ?? snap.conversions.byType).map((b) => ({ label: b.type, value: b.count }))}
        />
        <h3>By tier</h3>
        <BarChart
          label="Conversions by tier"
          bars={(history?.byTier ?? snap.conversions.byTier).map((b) => ({
            label: `tier ${b.tier}`,
            value: b.count,
          }))}
        />
        {!history && 'error' in snap.history && (
          <p className={styles.down}>History unavailable: {snap.history.error}</p>
        )}
      </section>

      <section className={styles.card} aria-labelledby="quality-h">
        <h2 id="quality-h">Quality trend (mean SSIM per day, 30 days)</h2>
        <LineChart
          label="Mean SSIM per day"
          points={(history?.trend ?? []).map((d) => ({ x: Date.parse(d.day), y: d.meanSsim }))}
          yDomain={[0.8, 1]}
          formatY={(v) => v.toFixed(2)}
          formatX={(x) => new Date(x).toISOString().slice(5, 10)}
          color="var(--ok)"
        />
        {history && (
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Count</th>
                <th scope="col">Mean SSIM</th>
              </tr>
            </thead>
            <tbody>
              {history.byType.map((b) => (
                <tr key={b.type}>
                  <th scope="row">{b.type}</th>
                  <td className={styles.num}>{b.count}</td>
                  <td className={styles.num}>{b.meanSsim === null ? '–' : b.meanSsim.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className={styles.card} aria-labelledby="cache-h">
        <h2 id="cache-h">Cache</h2>
        {snap.cache ? (
          <dl className={styles.stats}>
            <div>
              <dt>Backend</dt>
              <dd>{snap.cache.type}</dd>
            </div>
            <div>
              <dt>Hit rate</dt>
              <dd>{pct(snap.cache.hitRate)}</dd>
            </div>
            <div>
              <dt>Hits</dt>
              <dd>{snap.cache.hits}</dd>
            </div>
            <div>
              <dt>Misses</dt>
              <dd>{snap.cache.misses}</dd>
            </div>
          </dl>
        ) : (
          <p>Cache statistics unavailable.</p>
        )}
        {/* Plain links: API documents, not pages (the /api catch-all route makes the rule think otherwise). */}
        <p className={styles.meta}>
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          Prometheus: <a href="/api/metrics">/api/metrics</a> · health:{' '}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/api/health">/api/health</a>
        </p>
      </section>
    </div>
  );
}
