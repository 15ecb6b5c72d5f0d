/**
 * `npm run bench:abuse`: the abuse loads of issue 12 against a running server, each bounded in count and time,
 * printing liveness latency (p50/p95/max of GET /api/health/live polled every 100 ms during the load), what the
 * load itself got back, and the server's RSS before and after (from /api/metrics when allowed).
 *
 *   npm run bench:abuse -- --url http://127.0.0.1:40210 --scenario signin-flood     20 concurrent sign-ins
 *   npm run bench:abuse -- --scenario conversion-load                               50 concurrent conversions
 *   npm run bench:abuse -- --scenario upload-burst                                  60 concurrent 10 MB uploads
 *   npm run bench:abuse -- --scenario trivial-requests                              130 light requests, in a row
 *
 * Loads go to 127.0.0.1 only. Timing on a shared machine is noisy: compare runs made back to back.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';

const root = path.resolve(import.meta.dirname, '../..');

const program = new Command()
  .name('bench:abuse')
  .option('-u, --url <url>', 'server base URL (127.0.0.1 only)', 'http://127.0.0.1:3000')
  .requiredOption('-s, --scenario <name>', 'signin-flood | conversion-load | upload-burst | trivial-requests')
  .option('-d, --duration <seconds>', 'how long the flood or load runs', '20')
  .option('-c, --concurrency <n>', 'concurrent clients (default per scenario)')
  .option('--metrics-token <token>', 'METRICS_TOKEN, to read RSS', process.env.METRICS_TOKEN)
  .option(
    '--spread',
    'send each request from another address (X-Forwarded-For; the server must run with TRUST_PROXY), as a botnet would',
  )
  .option('--json', 'print JSON')
  .parse();
const o = program.opts<{
  url: string;
  scenario: string;
  duration: string;
  concurrency?: string;
  metricsToken?: string;
  spread?: boolean;
  json?: boolean;
}>();
/** Headers of request `i`: a distinct documentation-range address per request with --spread. */
const from = (i: number): Record<string, string> =>
  o.spread ? { 'x-forwarded-for': `198.18.${(i >> 8) & 255}.${i & 255}` } : {};
const base = o.url.replace(/\/+$/, '');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(base).hostname)) {
  console.error('bench:abuse only loads a server on this machine (127.0.0.1)');
  process.exit(2);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function rssMb(): Promise<number | null> {
  const res = await fetch(`${base}/api/metrics`, {
    headers: o.metricsToken ? { authorization: `Bearer ${o.metricsToken}` } : {},
  }).catch(() => null);
  if (!res?.ok) return null;
  const m = /^process_resident_memory_bytes (\S+)$/m.exec(await res.text());
  return m ? Math.round(Number(m[1]) / 2 ** 20) : null;
}

/** Polls liveness every 100 ms until `stop`, one probe at a time (as a kubelet would), with a 10 s timeout. */
async function probeLiveness(stop: { now: boolean }): Promise<number[]> {
  const times: number[] = [];
  while (!stop.now) {
    const t = performance.now();
    await fetch(`${base}/api/health/live`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
  return times.sort((a, b) => a - b);
}

type Tally = Record<string, number>;
const count = (t: Tally, k: string | number) => (t[k] = (t[k] ?? 0) + 1);

async function untilDeadline(
  concurrency: number,
  seconds: number,
  one: (i: number) => Promise<string | number>,
) {
  const statuses: Tally = {};
  const deadline = Date.now() + seconds * 1000;
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        count(statuses, await one(sent++).catch((e: Error) => `error ${e.name}`));
      }
    }),
  );
  return { sent, statuses };
}

async function signInFlood(concurrency: number, seconds: number) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return untilDeadline(concurrency, seconds, async (i) => {
    const res = await fetch(`${base}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...from(i) },
      body: new URLSearchParams({
        csrfToken,
        email: `nobody-${i}-${Math.random()}@example.com`,
        password: 'wrong-password',
        json: 'true',
      }),
    });
    await res.arrayBuffer();
    return res.status;
  });
}

async function conversionLoad(concurrency: number, seconds: number) {
  const images = ['test/fixtures/api/logo-256.png', 'test/fixtures/api/gradient.jpg'].map((f) =>
    readFileSync(path.join(root, f)),
  );
  return untilDeadline(concurrency, seconds, async (i) => {
    const form = new FormData();
    // A distinct image each time (a changed tail byte), so the result cache cannot answer.
    const bytes = Buffer.concat([images[i % images.length], Buffer.from(String(i))]);
    form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'x.png');
    const res = await fetch(`${base}/api/v1/convert?quality=balanced`, {
      method: 'POST',
      body: form,
      headers: from(i),
    });
    await res.arrayBuffer();
    return res.status;
  });
}

/** `count` uploads of ~10 MB (a noisy PNG just under MAX_UPLOAD_BYTES), all at once. */
async function uploadBurst(total: number) {
  const noise = await sharp(
    Buffer.from(Array.from({ length: 1800 * 1800 * 3 }, () => Math.floor(Math.random() * 256))),
    {
      raw: { width: 1800, height: 1800, channels: 3 },
    },
  )
    .png({ compressionLevel: 0 })
    .toBuffer();
  const body = noise.subarray(0, Math.min(noise.length, 10 * 1024 * 1024 - 70 * 1024));
  const statuses: Tally = {};
  await Promise.all(
    Array.from({ length: total }, async () => {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(body)], { type: 'image/png' }), 'big.png');
      const res = await fetch(`${base}/api/v1/convert?quality=fast`, { method: 'POST', body: form }).catch(
        (e: Error) => e,
      );
      if (res instanceof Error) return count(statuses, `error ${res.name}`);
      await res.arrayBuffer();
      count(statuses, res.status);
    }),
  );
  return { sent: total, statuses, uploadBytes: body.length };
}

async function trivialRequests(total: number) {
  const statuses: Tally = {};
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const res = await fetch(`${base}/api/v1/conversions`).catch((e: Error) => e);
    count(statuses, res instanceof Error ? `error ${res.name}` : res.status);
    if (!(res instanceof Error)) await res.arrayBuffer();
  }
  return { sent: total, statuses, totalSeconds: Math.round((performance.now() - started) / 100) / 10 };
}

const seconds = Number(o.duration);
const rssBefore = await rssMb();
const stop = { now: false };
const liveness = probeLiveness(stop);
let load: Record<string, unknown>;
const started = performance.now();
switch (o.scenario) {
  case 'signin-flood':
    load = await signInFlood(Number(o.concurrency ?? 20), seconds);
    break;
  case 'conversion-load':
    load = await conversionLoad(Number(o.concurrency ?? 50), seconds);
    break;
  case 'upload-burst':
    load = await uploadBurst(Number(o.concurrency ?? 60));
    break;
  case 'trivial-requests':
    load = await trivialRequests(Number(o.concurrency ?? 130));
    break;
  default:
    console.error(`unknown scenario ${o.scenario}`);
    process.exit(2);
}
const elapsed = (performance.now() - started) / 1000;
stop.now = true;
const live = await liveness;
const rssAfter = await rssMb();
const result = {
  scenario: o.scenario,
  load: {
    ...load,
    perSecond: Math.round(((load.sent as number) / elapsed) * 10) / 10,
    seconds: Math.round(elapsed * 10) / 10,
  },
  liveness: {
    probes: live.length,
    p50Ms: Math.round(percentile(live, 50)),
    p95Ms: Math.round(percentile(live, 95)),
    maxMs: Math.round(live[live.length - 1] ?? NaN),
  },
  rssMb: { before: rssBefore, after: rssAfter },
  machine: { load: os.loadavg().map((l) => Math.round(l * 100) / 100), cpus: os.cpus().length },
};
if (o.json) console.log(JSON.stringify(result, null, 2));
else
  console.log(
    `${result.scenario}: ${JSON.stringify(result.load)}\n  liveness p50 ${result.liveness.p50Ms} ms, p95 ${result.liveness.p95Ms} ms, max ${result.liveness.maxMs} ms (${result.liveness.probes} probes)\n  RSS ${rssBefore ?? '?'} -> ${rssAfter ?? '?'} MB; load average ${result.machine.load.join(' ')}`,
  );
