/** Load test of POST /api/v1/convert with real images (autocannon): throughput, p50/p95/p99 latency, errors. */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Command } from 'commander';

const root = path.resolve(import.meta.dirname, '../..');
const DEFAULT_IMAGES = [
  'scripts/deploy/fixtures/smoke-logo.png',
  'test/fixtures/ai/simple-simple-icons-coinbase.png',
  'test/fixtures/ai/text-devicon-github-wordmark.png',
  'test/fixtures/ai/gradient-devicon-gitpod.png',
  'test/fixtures/ai/complex-flat-color-icons-compact-camera.png',
];

const program = new Command()
  .name('loadtest')
  .description(
    'Drive POST /api/v1/convert with real images and report throughput, latency percentiles and errors.',
  )
  .option('-u, --url <url>', 'server base URL', process.env.LOADTEST_URL ?? 'http://127.0.0.1:3000')
  .option('-c, --connections <n>', 'concurrent connections', '4')
  .option('-d, --duration <seconds>', 'test duration in seconds', '20')
  .option(
    '-i, --images <files...>',
    'PNG/JPEG/WebP files to send, rotated (default: bundled logos/icons/word marks)',
  )
  .option(
    '-q, --quality <pref>',
    'quality preference sent with each image: fast | balanced | best',
    'balanced',
  )
  .option('-k, --api-key <key>', 'API key (Authorization: Bearer)', process.env.LOADTEST_API_KEY)
  .option('--timeout <seconds>', 'per-request timeout', '60')
  .option('--json', 'print the summary as JSON')
  .parse();

type Opts = {
  url: string;
  connections: string;
  duration: string;
  images?: string[];
  quality: string;
  apiKey?: string;
  timeout: string;
  json?: boolean;
};
const o = program.opts<Opts>();

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`loadtest: --${name} must be a positive integer, got "${v}"`);
    process.exit(2);
  }
  return n;
}
const connections = positiveInt('connections', o.connections);
const duration = positiveInt('duration', o.duration);
const timeout = positiveInt('timeout', o.timeout);
if (!['fast', 'balanced', 'best'].includes(o.quality)) {
  console.error(`loadtest: --quality must be fast, balanced or best, got "${o.quality}"`);
  process.exit(2);
}

const files = (o.images ?? DEFAULT_IMAGES.map((f) => path.join(root, f))).filter((f) => {
  if (fs.existsSync(f)) return true;
  if (o.images) {
    console.error(`loadtest: image not found: ${f}`);
    process.exit(2);
  }
  return false;
});
if (files.length === 0) {
  console.error('loadtest: no images to send');
  process.exit(2);
}

/** One prebuilt multipart body per image, so the client spends no time encoding during the run. */
const boundary = `----svgai-loadtest-${Date.now().toString(16)}`;
const bodies = files.map((file) => {
  const type = file.endsWith('.png') ? 'image/png' : file.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n${JSON.stringify({ quality: o.quality })}\r\n`,
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    fs.readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
});

const headers: Record<string, string> = {
  'content-type': `multipart/form-data; boundary=${boundary}`,
  accept: 'application/json',
};
if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;

const latencies: number[] = [];
const statuses = new Map<number, number>();
const target = `${o.url.replace(/\/$/, '')}/api/v1/convert`;

try {
  const probe = await fetch(`${o.url.replace(/\/$/, '')}/api/health/live`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!probe.ok) throw new Error(`liveness answered ${probe.status}`);
} catch (err) {
  console.error(
    `loadtest: ${o.url} does not answer (${(err as Error).message}); start the server first (npm start)`,
  );
  process.exit(1);
}

if (!o.json)
  console.error(
    `loadtest: ${connections} connections for ${duration} s against ${target} with ${files.length} image(s)`,
  );
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    {
      url: target,
      connections,
      duration,
      timeout,
      method: 'POST',
      headers,
      // Each connection cycles through one request per image.
      requests: bodies.map((body) => ({ method: 'POST' as const, body, headers })),
    },
    (err, res) => (err ? reject(err) : resolve(res)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
});

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies.length
    ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]
    : null;
const ok = statuses.get(200) ?? 0;
const summary = {
  target,
  connections,
  durationSeconds: result.duration,
  images: files.map((f) => path.relative(root, f)),
  requests: latencies.length,
  ok,
  throughputPerSecond: Math.round((ok / result.duration) * 100) / 100,
  latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: latencies.at(-1) ?? null },
  statuses: Object.fromEntries([...statuses.entries()].sort(([a], [b]) => a - b)),
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
};
if (o.json) console.log(JSON.stringify(summary, null, 2));
else {
  const f = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  console.log(`requests     ${summary.requests} (${ok} ok) in ${summary.durationSeconds} s`);
  console.log(`throughput   ${summary.throughputPerSecond} conversions/s`);
  console.log(
    `latency      p50 ${f(summary.latencyMs.p50)}   p95 ${f(summary.latencyMs.p95)}   p99 ${f(summary.latencyMs.p99)}   max ${f(summary.latencyMs.max)}`,
  );
  console.log(`statuses     ${JSON.stringify(summary.statuses)}`);
  console.log(`errors       ${summary.errors} (timeouts ${summary.timeouts}, non-2xx ${summary.non2xx})`);
}
process.exit(summary.errors > 0 || summary.non2xx > 0 || ok === 0 ? 1 : 0);
