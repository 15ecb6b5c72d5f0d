/**
 * `npm run bench:batch`: the scale-out benchmark of issue 14. A real web server (the production build, as
 * `npm start` runs it) with BullMQ on Redis (DB 5, flushed) and a fresh PostgreSQL database takes one zip of
 * distinct generated logos through POST /api/v1/batches; it is converted by 1, then 2, ... `npm run worker`
 * processes. Printed per run: images/s (first item started to batch finished), p50 / p95 conversion time per
 * item, peak RSS of each worker and of the web process, and the web process's liveness p95 (GET
 * /api/health/live every 100 ms during the run); then the speed-up over one worker.
 *
 *   npm run bench:batch                          1,000 images, 1 then 2 workers
 *   npm run bench:batch -- --count 40 --workers 1,2
 *
 * Needs `npm run build` first. Timing on a shared machine is noisy: say so when you quote the numbers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import JSZip from 'jszip';
import sharp from 'sharp';
import { createPostgresDatabase, dropPostgresDatabase } from '../db/postgres-admin.mjs';

const root = path.resolve(import.meta.dirname, '../..');

const program = new Command()
  .name('bench:batch')
  .option('-n, --count <n>', 'images in the batch', '1000')
  .option('-w, --workers <list>', 'worker process counts to run, comma list', '1,2')
  .option('-q, --quality <tier>', 'conversion quality of every item', 'fast')
  .option('--threads <n>', 'WORKERS (threads) per worker process', '1')
  .option('--concurrency <n>', 'WORKER_CONCURRENCY per worker process', '1')
  .option('--port <n>', 'port of the web server', '3411')
  .option('--redis <url>', 'Redis for BullMQ (flushed: use a DB of its own)', 'redis://127.0.0.1:6379/5')
  .option('--postgres <url>', 'PostgreSQL admin URL', 'postgresql://postgres@127.0.0.1:5432/postgres')
  .parse();
const opts = program.opts<{
  count: string;
  workers: string;
  quality: string;
  threads: string;
  concurrency: string;
  port: string;
  redis: string;
  postgres: string;
}>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The server process: scripts/start.mjs is a launcher whose child is the Next.js server. */
function serverPid(launcher: number | undefined): number | undefined {
  if (!launcher) return undefined;
  try {
    const children = readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/);
    return children[0] ? Number(children[0]) : launcher;
  } catch {
    return launcher;
  }
}

async function logos(count: number): Promise<Buffer> {
  const zip = new JSZip();
  for (let i = 0; i < count; i++) {
    const hue = (i * 37) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><rect width="128" height="128" fill="white"/><circle cx="${40 + (i % 9) * 5}" cy="64" r="${24 + (i % 11)}" fill="hsl(${hue},75%,45%)"/><rect x="${70 + (i % 7)}" y="30" width="30" height="${40 + (i % 13)}" fill="hsl(${(hue + 120) % 360},70%,35%)"/></svg>`;
    zip.file(`logo-${String(i).padStart(4, '0')}.png`, await sharp(Buffer.from(svg)).png().toBuffer());
  }
  return zip.generateAsync({ type: 'nodebuffer' });
}

type Run = {
  workers: number;
  seconds: number;
  imagesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  workerRssMb: number[];
  webRssMb: number;
  livenessP95Ms: number;
  done: number;
  failed: number;
};

async function waitLive(base: string, child: ChildProcess) {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${base}/api/health/ready`)).ok) return;
    } catch {
      // not yet
    }
    await sleep(500);
  }
  throw new Error('the web server did not become ready');
}

async function main() {
  const count = Number(opts.count);
  const workerCounts = opts.workers.split(',').map(Number);
  const dbName = `svgai_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createPostgresDatabase(opts.postgres, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-bench-batch-'));
  const redis = new Redis(opts.redis);
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: opts.redis,
    BATCH_QUEUE: 'bullmq',
    BATCH_SIZE: String(Math.max(count, 1)),
    BATCH_MAX_BYTES: String(512 * 1024 * 1024),
    UPLOAD_MEMORY_BYTES: String(1024 * 1024 * 1024),
    BATCH_MAX_IN_FLIGHT: '100',
    CACHE_TYPE: 'none',
    RATE_LIMIT_ANONYMOUS: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const base = `http://127.0.0.1:${opts.port}`;
  console.log(`generating ${count} logos ...`);
  const zip = await logos(count);
  const web = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...env, PORT: opts.port, HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const runs: Run[] = [];
  try {
    await waitLive(base, web);
    for (const n of workerCounts) {
      await redis.flushdb();
      const workers = Array.from({ length: n }, () =>
        spawn(process.execPath, ['scripts/worker.mjs'], {
          cwd: root,
          env: { ...env, WORKERS: opts.threads, WORKER_CONCURRENCY: opts.concurrency },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      await sleep(3000); // threads started, models loaded
      const res = await fetch(`${base}/api/v1/batches?quality=${opts.quality}`, {
        method: 'POST',
        body: new Uint8Array(zip),
        headers: { 'content-type': 'application/zip' },
      });
      if (res.status !== 202) throw new Error(`POST /api/v1/batches: ${res.status} ${await res.text()}`);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      const { id } = (await res.json()) as { id: string };
      const live: number[] = [];
      const rss = new Map<number, number>();
      let webRss = 0;
      let polling = true;
      const probe = (async () => {
        while (polling) {
          const t = performance.now();
          await fetch(`${base}/api/health/live`).catch(() => undefined);
          live.push(performance.now() - t);
          for (const w of workers) rss.set(w.pid!, Math.max(rss.get(w.pid!) ?? 0, rssMb(w.pid)));
          webRss = Math.max(webRss, rssMb(serverPid(web.pid)));
          await sleep(100);
        }
      })();
      const started = performance.now();
      type Body = { finishedAt: string | null; items: { state: string; durationMs: number | null }[] };
      let body: Body;
      for (;;) {
        body = (await (await fetch(`${base}/api/v1/batches/${id}`, { headers: { cookie } })).json()) as Body;
        if (body.finishedAt) break;
        await sleep(500);
      }
      const seconds = (performance.now() - started) / 1000;
      polling = false;
      await probe;
      const durations = body.items.filter((i) => i.durationMs !== null).map((i) => i.durationMs!);
      runs.push({
        workers: n,
        seconds,
        imagesPerSecond: count / seconds,
        p50Ms: percentile(durations, 50),
        p95Ms: percentile(durations, 95),
        workerRssMb: workers.map((w) => rss.get(w.pid!) ?? 0),
        webRssMb: webRss,
        livenessP95Ms: percentile(live, 95),
        done: body.items.filter((i) => i.state === 'done').length,
        failed: body.items.filter((i) => i.state === 'failed').length,
      });
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
    }
  } finally {
    web.kill('SIGTERM');
    await new Promise((r) => web.once('exit', r));
    await redis.flushdb();
    redis.disconnect();
    await dropPostgresDatabase(opts.postgres, dbName);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const one = runs.find((r) => r.workers === 1);
  console.log(
    `\n${count} images (generated 128x128 logos), quality ${opts.quality}, ${opts.threads} thread(s) x ${opts.concurrency} job(s) per worker, ${os.cpus().length} cores\n`,
  );
  console.log(
    '| workers | done / failed | seconds | images/s | p50 ms | p95 ms | worker RSS MB | web RSS MB | liveness p95 ms | speed-up |',
  );
  console.log(
    '| ------- | ------------- | ------- | -------- | ------ | ------ | ------------- | ---------- | --------------- | -------- |',
  );
  for (const r of runs) {
    console.log(
      `| ${r.workers} | ${r.done} / ${r.failed} | ${r.seconds.toFixed(1)} | ${r.imagesPerSecond.toFixed(2)} | ${r.p50Ms.toFixed(0)} | ${r.p95Ms.toFixed(0)} | ${r.workerRssMb.map((m) => m.toFixed(0)).join(', ')} | ${r.webRssMb.toFixed(0)} | ${r.livenessP95Ms.toFixed(1)} | ${one ? (r.imagesPerSecond / one.imagesPerSecond).toFixed(2) : '-'} |`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
