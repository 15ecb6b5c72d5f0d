#!/usr/bin/env node
/**
 * Latency of POST /api/v1/convert under load, measured with autocannon against a running server (use the
 * production build: `npm start`). Prints p50/p95/p99 and throughput; numbers, not pass/fail.
 *
 *   node scripts/bench-api.mjs [--url http://127.0.0.1:3000] [--file test/fixtures/api/logo-256.png]
 *                              [--connections 2] [--duration 20] [--options '{"quality":"fast"}']
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const url = arg('url', 'http://127.0.0.1:3000');
const file = arg('file', 'test/fixtures/api/logo-256.png');
const connections = Number(arg('connections', '2'));
const duration = Number(arg('duration', '20'));
const options = arg('options', '');

const boundary = `----svgai${Date.now().toString(16)}`;
const parts = [
  Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  ),
  readFileSync(file),
  Buffer.from('\r\n'),
];
if (options)
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n${options}\r\n`),
  );
parts.push(Buffer.from(`--${boundary}--\r\n`));
const body = Buffer.concat(parts);

// One warm-up request so the first conversion's model and engine loading is not in the figures.
const warm = await fetch(`${url}/api/v1/convert`, {
  method: 'POST',
  body,
  headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
});
if (warm.status !== 200) {
  console.error(`warm-up request failed: ${warm.status} ${await warm.text()}`);
  process.exit(1);
}

const times = [];
const instance = autocannon({
  url: `${url}/api/v1/convert`,
  method: 'POST',
  connections,
  duration,
  headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json' },
  body,
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode === 200) times.push(responseTime);
});
// Meanwhile probe the liveness endpoint: with conversions on worker threads it must stay fast under load.
const probes = [];
let probing = true;
const probeLoop = (async () => {
  while (probing) {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/health/live`).catch(() => null);
    if (r) {
      await r.arrayBuffer();
      probes.push(performance.now() - t0);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();
const result = await instance;
probing = false;
await probeLoop;
probes.sort((a, b) => a - b);
const probePct = (p) =>
  probes.length ? probes[Math.min(probes.length - 1, Math.ceil((p / 100) * probes.length) - 1)] : NaN;
times.sort((a, b) => a - b);
const pct = (p) =>
  times.length ? times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] : NaN;

const l = result.latency;
const non2xx = result.non2xx;
console.log(
  `POST /api/v1/convert  file=${file} (${readFileSync(file).length} B)  connections=${connections}  duration=${duration}s`,
);
console.log(
  `requests: ${result.requests.total}  non-2xx: ${non2xx}  errors: ${result.errors}  timeouts: ${result.timeouts}`,
);
console.log(
  `latency ms: p50 ${l.p50}  p90 ${l.p90}  p97.5 ${l.p97_5}  p99 ${l.p99}  mean ${l.mean.toFixed(1)}  max ${l.max}`,
);
// Exact percentiles over every successful response (autocannon's own table has no p95).
console.log(
  `successful responses: ${times.length}  p50 ${pct(50).toFixed(1)} ms  p95 ${pct(95).toFixed(1)} ms  p99 ${pct(99).toFixed(1)} ms`,
);
console.log(`throughput: ${result.requests.average.toFixed(2)} req/s`);
console.log(
  `GET /api/health/live during the load: ${probes.length} probes, p50 ${probePct(50).toFixed(1)} ms, p95 ${probePct(95).toFixed(1)} ms, max ${probePct(100).toFixed(1)} ms`,
);
