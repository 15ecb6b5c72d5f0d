#!/usr/bin/env node
// Measures deploys and rollbacks without downtime on this machine: a temporary host root with nginx in front
// (loopback only), release A deployed, then release B deployed and rolled back again while a steady load of
// conversions runs through nginx. Prints, per phase, the wall time of deploy.sh / rollback.sh, the requests
// made, every failure, latency, and which upstream port (slot) nginx sent each request to.
//
//   node scripts/deploy/zero-downtime.mjs --artifact DIR [--concurrency 4] [--app-port 3510] [--nginx-port 8510]
//        [--database-url URL] [--settle 2] [--keep-alive] [--json] [--keep-root]
//
// DIR is a release assembled by `node scripts/deploy/assemble-release.mjs DIR` after `npm run build`.
// Each request converts a different image (no cache hits), with a new connection per request unless
// --keep-alive. The load is bounded: --concurrency clients, at most --max-seconds per phase.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const deployDir = path.dirname(fileURLToPath(import.meta.url));

const HELP = `usage: node scripts/deploy/zero-downtime.mjs --artifact DIR [--concurrency N] [--app-port P]
       [--nginx-port P] [--database-url URL] [--settle SECONDS] [--max-seconds S] [--keep-alive] [--json]
       [--keep-root] [--scripts DIR] [--batch N [--redis-url URL]]
  Deploys release A, then deploys B and rolls back to A under a steady load through nginx on 127.0.0.1.
  --app-port is the blue slot's port (green is the next one); defaults 3510 and nginx 8510.
  --scripts runs deploy.sh / rollback.sh from another folder (e.g. an earlier version, for comparison).
  --batch N submits a batch of N images every 1.5 s from the start of the deploy to the end of the rollback
  (BullMQ on --redis-url, default DB 6, which is emptied first; one worker process per slot), then waits for them
  and checks in the database that every item was done exactly once.`;

export function parseArgs(argv) {
  const o = {
    artifact: '',
    concurrency: 4,
    appPort: 3510,
    nginxPort: 8510,
    databaseUrl: '',
    settle: 2,
    maxSeconds: 240,
    keepAlive: false,
    json: false,
    keepRoot: false,
    scripts: deployDir,
    batch: 0,
    redisUrl: 'redis://127.0.0.1:6379/6',
  };
  const num = (name, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive whole number (got "${v}")`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--artifact') o.artifact = next();
    else if (a === '--concurrency') o.concurrency = num(a, next());
    else if (a === '--app-port') o.appPort = num(a, next());
    else if (a === '--nginx-port') o.nginxPort = num(a, next());
    else if (a === '--database-url') o.databaseUrl = next();
    else if (a === '--settle') o.settle = Number(next());
    else if (a === '--max-seconds') o.maxSeconds = num(a, next());
    else if (a === '--keep-alive') o.keepAlive = true;
    else if (a === '--json') o.json = true;
    else if (a === '--keep-root') o.keepRoot = true;
    else if (a === '--scripts') o.scripts = path.resolve(next());
    else if (a === '--batch') o.batch = num(a, next());
    else if (a === '--redis-url') o.redisUrl = next();
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!o.help && !o.artifact) throw new Error('--artifact DIR is required (an assembled release)');
  if (o.artifact && !fs.existsSync(path.join(o.artifact, 'server.js')))
    throw new Error(`${o.artifact} is not an assembled release (no server.js)`);
  if (!(o.settle >= 0)) throw new Error('--settle needs a number of seconds');
  return o;
}

/** A distinct small logo per request, so every conversion runs the engine instead of hitting the cache. */
async function makeImage(i, size = 96) {
  const hue = (i * 47) % 360;
  const k = size / 96;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <rect width="${size}" height="${size}" fill="white"/>
    <g transform="scale(${k})">
      <circle cx="${30 + (i % 37)}" cy="${34 + (i % 23)}" r="${14 + (i % 11)}" fill="hsl(${hue},70%,45%)"/>
      <rect x="${10 + (i % 19)}" y="60" width="${30 + (i % 29)}" height="18" fill="hsl(${(hue + 180) % 360},60%,35%)"/>
      <path d="M10 ${12 + (i % 7)} q 20 -10 40 0 t 40 0" stroke="hsl(${(hue + 90) % 360},50%,30%)" stroke-width="4" fill="none"/>
    </g>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Batch items are larger (the slower engine path), so work is still queued whenever a worker is replaced. */
const BATCH_IMAGE_SIZE = 384;

function postConvert(url, png, keepAlive) {
  const boundary = `----svgai${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const u = new URL('/api/v1/convert', url);
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      u,
      {
        method: 'POST',
        agent: keepAlive ? keepAliveAgent : false,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
          accept: 'application/json',
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let ok = res.statusCode === 200;
          if (ok) {
            try {
              ok = JSON.parse(text).svg?.startsWith('<svg') === true;
            } catch {
              ok = false;
            }
          }
          resolve({
            ok,
            status: res.statusCode,
            ms: performance.now() - started,
            error: ok ? undefined : text.slice(0, 200),
          });
        });
        res.on('error', (err) =>
          resolve({ ok: false, status: 0, ms: performance.now() - started, error: err.message }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
    req.on('error', (err) =>
      resolve({ ok: false, status: 0, ms: performance.now() - started, error: err.message }),
    );
    req.end(body);
  });
}
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function quantile(sorted, q) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `clients` loops of conversions until stop() is called; returns the per-request results. */
function startLoad(url, clients, keepAlive, maxSeconds) {
  const results = [];
  let stopping = false;
  let n = 0;
  const deadline = Date.now() + maxSeconds * 1000;
  const loops = Array.from({ length: clients }, async () => {
    while (!stopping && Date.now() < deadline) {
      const png = await makeImage(n++);
      const r = await postConvert(url, png, keepAlive);
      results.push({ ...r, at: Date.now() });
    }
  });
  return {
    results,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return results;
    },
  };
}

function runScript(dir, name, args, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('bash', [path.join(dir, name), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, seconds: (performance.now() - started) / 1000, out }));
  });
}

function nginxConfig(root, nginxPort) {
  const n = path.join(root, 'nginx');
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `  ${k}_temp_path ${n}/${k}_temp;`)
    .join('\n');
  // The parts of docker/nginx/nginx.conf that matter for a switch: keep-alive to the upstream, HTTP/1.1, the
  // same timeouts; the upstream's servers come from the file deploy.sh writes (NGINX_UPSTREAM_FILE).
  return `worker_processes 1;
pid ${n}/nginx.pid;
error_log ${n}/error.log warn;
events { worker_connections 512; }
http {
${temps}
  log_format slot '$msec $status $upstream_addr $request_time';
  access_log ${n}/access.log slot;
  client_max_body_size 12m;
  upstream svgai_app {
    include ${n}/upstream.conf;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${nginxPort};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_connect_timeout 5s;
    proxy_read_timeout 60s;
    location / { proxy_pass http://svgai_app; }
  }
}
`;
}

/** Lines of nginx's access log written in [from, to] (ms), grouped by upstream address. */
function upstreamCounts(root, from, to) {
  const counts = {};
  const file = path.join(root, 'nginx/access.log');
  if (!fs.existsSync(file)) return counts;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [msec, , upstream] = line.split(' ');
    const t = Number(msec) * 1000;
    if (!upstream || t < from || t > to) continue;
    counts[upstream] = (counts[upstream] ?? 0) + 1;
  }
  return counts;
}

function summarize(name, run, results, root, from, to) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const failed = results.filter((r) => !r.ok);
  return {
    phase: name,
    scriptExit: run.code,
    scriptSeconds: Number(run.seconds.toFixed(1)),
    requests: results.length,
    failed: failed.length,
    failures: failed.slice(0, 10).map((f) => ({ status: f.status, error: f.error })),
    p50Ms: Math.round(quantile(ms, 0.5)),
    p95Ms: Math.round(quantile(ms, 0.95)),
    upstreams: upstreamCounts(root, from, to),
    log: run.code === 0 ? undefined : run.out.slice(-4000),
  };
}

/** Submits a batch of `n` distinct images through the proxy; the anonymous owner is the history cookie. */
async function submitBatch(proxy, n, first) {
  const form = new FormData();
  for (let i = first; i < first + n; i++)
    form.append(
      'files',
      new Blob([await makeImage(i, BATCH_IMAGE_SIZE)], { type: 'image/png' }),
      `icon-${i}.png`,
    );
  const res = await fetch(`${proxy}/api/v1/batches`, {
    method: 'POST',
    body: form,
    headers: { accept: 'application/json' },
  });
  const text = await res.text();
  if (res.status !== 202)
    throw new Error(`POST /api/v1/batches answered ${res.status}: ${text.slice(0, 300)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { id: JSON.parse(text).id, cookie };
}

async function batchView(proxy, batch) {
  const res = await fetch(`${proxy}/api/v1/batches/${batch.id}`, {
    headers: { cookie: batch.cookie, accept: 'application/json' },
  });
  if (res.status !== 200)
    throw new Error(`GET batch answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/** History rows the batch wrote, read from the database itself: exactly one per item means none lost or doubled. */
async function historyRows(databaseUrl, batchId) {
  if (databaseUrl.startsWith('file:')) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(databaseUrl.slice('file:'.length), { readonly: true });
    try {
      return db
        .prepare('SELECT id FROM "Conversion" WHERE "batchId" = ?')
        .all(batchId)
        .map((r) => r.id);
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT id FROM "Conversion" WHERE "batchId" = $1', [batchId])).rows.map(
      (r) => r.id,
    );
  } finally {
    await client.end();
  }
}

/** Every item of every batch done, once: as many distinct history rows as items, all submissions accepted. */
export function batchOk(b) {
  if (!b) return true;
  return (
    b.submitFailures.length === 0 &&
    b.batchesDone === b.batches &&
    b.states.done === b.items &&
    b.historyRows === b.items &&
    b.distinctHistoryRows === b.items &&
    b.itemsWithoutConversion === 0 &&
    b.conversionsNotInHistory === 0
  );
}

const finishedOf = (view) =>
  view.items.filter((i) => ['done', 'failed', 'cancelled'].includes(i.state)).length;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function killPidFile(file, signal = 'SIGTERM') {
  try {
    process.kill(Number(fs.readFileSync(file, 'utf8')), signal);
  } catch {
    // not running
  }
}

export async function measure(o, log = (m) => process.stderr.write(`[zero-downtime] ${m}\n`)) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-zdt-'));
  fs.chmodSync(root, 0o755);
  const asRoot = process.getuid?.() === 0;
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    LANG: 'C.UTF-8',
    ...(asRoot ? { RUN_AS: 'nobody' } : {}),
  };
  const nginxDir = path.join(root, 'nginx');
  fs.mkdirSync(nginxDir, { recursive: true });
  fs.mkdirSync(path.join(root, 'shared/data'), { recursive: true });
  const proxy = `http://127.0.0.1:${o.nginxPort}`;
  const databaseUrl = o.databaseUrl || `file:${root}/shared/data/app.db`;
  if (o.batch) {
    // The queue's keys live in this Redis database only: start from an empty one.
    const flushed = spawnSync('redis-cli', ['-u', o.redisUrl, 'FLUSHDB'], { encoding: 'utf8' });
    if (flushed.status !== 0 || !/OK/.test(flushed.stdout))
      throw new Error(`cannot empty ${o.redisUrl}: ${flushed.stderr}`);
    // A worker left running by another run would take this run's jobs: refuse while anyone uses that database.
    const db = Number(new URL(o.redisUrl).pathname.slice(1) || 0);
    const clients = spawnSync('redis-cli', ['-u', o.redisUrl, 'CLIENT', 'LIST'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => new RegExp(`\\bdb=${db}\\b`).test(l) && !/\bcmd=client\b/.test(l));
    if (clients.length) {
      fs.rmSync(root, { recursive: true, force: true });
      throw new Error(
        `${clients.length} other client(s) use ${o.redisUrl} (a worker left running?): stop them first\n${clients.join('\n')}`,
      );
    }
  }
  for (const port of [o.nginxPort, o.appPort, o.appPort + 1]) {
    if (await portAnswers(port)) {
      fs.rmSync(root, { recursive: true, force: true });
      throw new Error(`port ${port} is in use on 127.0.0.1: pick other ports (--app-port, --nginx-port)`);
    }
  }
  fs.writeFileSync(
    path.join(root, 'shared/.env'),
    [
      'ENVIRONMENT=production',
      `APP_URL=${proxy}`,
      `PORT=${o.appPort}`,
      `BLUE_PORT=${o.appPort}`,
      `GREEN_PORT=${o.appPort + 1}`,
      'HOST=127.0.0.1',
      `DATABASE_URL=${databaseUrl}`,
      'CACHE_TYPE=memory',
      'WORKERS=1',
      'RATE_LIMIT_ANONYMOUS=0',
      `METRICS_TOKEN=zdt-${Math.random().toString(16).slice(2)}${Date.now()}`,
      `NGINX_UPSTREAM_FILE=${nginxDir}/upstream.conf`,
      `NGINX_CONF=${nginxDir}/nginx.conf`,
      `PROXY_SETTLE_SECONDS=${o.settle}`,
      // Many small batches from one anonymous caller: lift the per-caller bound of unfinished batches.
      ...(o.batch
        ? [`REDIS_URL=${o.redisUrl}`, 'BATCH_WORKERS=1', 'WORKER_CONCURRENCY=1', 'BATCH_MAX_IN_FLIGHT=1000']
        : []),
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig(root, o.nginxPort));
  // Before the first deploy nginx points at the blue slot, which is not running yet (502 until it is).
  fs.writeFileSync(path.join(nginxDir, 'upstream.conf'), `server 127.0.0.1:${o.appPort};\n`);
  const started = spawnSync('nginx', ['-c', path.join(nginxDir, 'nginx.conf')], { encoding: 'utf8' });
  if (started.status !== 0) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${started.stderr}`);
  }

  const phases = [];
  const cleanup = async () => {
    for (const slot of ['blue', 'green', 'server']) killPidFile(path.join(root, `run/${slot}.pid`));
    // Batch workers run as their own process groups (lib.sh start_workers): end every group, or a leftover
    // worker would keep taking the next run's jobs from the same Redis database.
    const workers = path.join(root, 'run/workers');
    const groups = fs.existsSync(workers)
      ? fs.readdirSync(workers).map((f) => Number(fs.readFileSync(path.join(workers, f), 'utf8')))
      : [];
    const signal = (sig) => {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, sig);
        } catch {
          // already gone
        }
      }
    };
    const anyAlive = () =>
      groups.some((pgid) => {
        try {
          process.kill(-pgid, 0);
          return true;
        } catch {
          return false;
        }
      });
    signal('SIGTERM');
    // A worker finishes its running job first (SHUTDOWN_TIMEOUT_MS, 25 s by default).
    for (let i = 0; i < 150 && anyAlive(); i++) await sleep(200);
    signal('SIGKILL');
    spawnSync('nginx', ['-c', path.join(nginxDir, 'nginx.conf'), '-s', 'quit']);
  };
  try {
    log(`root ${root}; nginx on ${proxy}; slots on ${o.appPort}/${o.appPort + 1}`);
    const first = await runScript(
      o.scripts,
      'deploy.sh',
      ['--root', root, '--release-id', 'rel-a', '--artifact', o.artifact],
      env,
    );
    if (first.code !== 0) throw new Error(`first deploy failed:\n${first.out.slice(-4000)}`);
    log(`release A deployed in ${first.seconds.toFixed(1)} s (not under load)`);

    // Batches: one of o.batch images every 1.5 s from the start of the deploy to the end of the rollback, more
    // than one worker converts, so jobs wait in the queue whenever a worker is replaced.
    const batches = [];
    const pending = [];
    const submitFailures = [];
    let feeding = Boolean(o.batch);
    let imageNo = 100_000;
    const feeder = (async () => {
      while (feeding) {
        const started = Date.now();
        try {
          batches.push(await submitBatch(proxy, o.batch, imageNo));
        } catch (err) {
          submitFailures.push(err.message);
        }
        imageNo += o.batch;
        await sleep(Math.max(0, 1500 - (Date.now() - started)));
      }
    })();
    /** Items of all batches so far that are not finished (waiting or running). */
    const unfinished = async () => {
      let n = 0;
      for (const b of [...batches]) {
        const v = await batchView(proxy, b);
        n += v.items.length - finishedOf(v);
      }
      return n;
    };
    const underLoad = async (name, script, args) => {
      const from = Date.now();
      const load = startLoad(proxy, o.concurrency, o.keepAlive, o.maxSeconds);
      await sleep(2000); // requests in flight before anything changes
      const run = await runScript(o.scripts, script, args, env);
      // Batch work still waiting when the old workers have been replaced: the swap happened under a queue.
      if (o.batch) pending.push({ at: `${name} end`, unfinishedItems: await unfinished() });
      await sleep(2000); // and after: the new slot serves on its own
      const results = await load.stop();
      const s = summarize(name, run, results, root, from, Date.now());
      log(
        `${name}: ${s.scriptSeconds} s (exit ${s.scriptExit}), ${s.requests} requests, ${s.failed} failed, ` +
          `p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, upstreams ${JSON.stringify(s.upstreams)}`,
      );
      phases.push(s);
    };
    await underLoad('deploy', 'deploy.sh', [
      '--root',
      root,
      '--release-id',
      'rel-b',
      '--artifact',
      o.artifact,
    ]);
    await underLoad('rollback', 'rollback.sh', ['--root', root]);
    feeding = false;
    await feeder;
    let batchReport;
    if (o.batch) {
      const deadline = Date.now() + o.maxSeconds * 1000;
      const views = [];
      for (const b of batches) {
        let view = await batchView(proxy, b);
        while (view.status !== 'done' && Date.now() < deadline) {
          await sleep(1000);
          view = await batchView(proxy, b);
        }
        views.push(view);
      }
      const items = views.flatMap((v) => v.items);
      const rows = (await Promise.all(batches.map((b) => historyRows(databaseUrl, b.id)))).flat();
      const conversionIds = items.map((i) => i.conversionId).filter(Boolean);
      const rowSet = new Set(rows);
      const logs = fs.readdirSync(path.join(root, 'logs')).filter((f) => f.startsWith('worker-'));
      const count = (re) =>
        logs.reduce(
          (n, f) => n + (fs.readFileSync(path.join(root, 'logs', f), 'utf8').match(re)?.length ?? 0),
          0,
        );
      batchReport = {
        batches: batches.length,
        submitFailures,
        batchesDone: views.filter((v) => v.status === 'done').length,
        items: items.length,
        states: items.reduce((acc, i) => ({ ...acc, [i.state]: (acc[i.state] ?? 0) + 1 }), {}),
        historyRows: rows.length,
        distinctHistoryRows: rowSet.size,
        itemsWithoutConversion: items.length - conversionIds.length,
        conversionsNotInHistory: conversionIds.filter((id) => !rowSet.has(id)).length,
        maxAttempts: Math.max(0, ...items.map((i) => i.attempts)),
        pending,
        workerStarts: count(/"msg":"worker started"/g),
        workersHandingBack: count(/did not finish in time/g),
        workerLogs: logs.sort(),
      };
      log(`batches: ${JSON.stringify(batchReport)}`);
    }
    const read = (f) =>
      fs.existsSync(path.join(root, f)) ? fs.readFileSync(path.join(root, f), 'utf8') : '';
    const link = (f) =>
      fs.existsSync(path.join(root, f)) ? path.basename(fs.readlinkSync(path.join(root, f))) : '';
    const state = {
      activeSlot: read('active-slot').trim(),
      current: link('current'),
      previous: link('previous'),
      upstreamFile: read('nginx/upstream.conf'),
      running: ['blue', 'green'].filter((s) => fs.existsSync(path.join(root, `run/${s}.pid`))),
    };
    return {
      load: { concurrency: o.concurrency, keepAlive: o.keepAlive, image: '96x96 PNG logos, one per request' },
      firstDeploySeconds: Number(first.seconds.toFixed(1)),
      phases,
      batch: batchReport,
      state,
      root: o.keepRoot ? root : undefined,
    };
  } finally {
    await cleanup();
    if (!o.keepRoot) {
      await sleep(500);
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`[zero-downtime] ${err.message}\n${HELP}`);
    process.exit(2);
  }
  if (o.help) {
    console.log(HELP);
    process.exit(0);
  }
  measure(o).then(
    (r) => {
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log('| phase | wall time (s) | requests | failed | p50 ms | p95 ms | upstreams |');
        console.log('| --- | --- | --- | --- | --- | --- | --- |');
        for (const p of r.phases)
          console.log(
            `| ${p.phase} | ${p.scriptSeconds} | ${p.requests} | ${p.failed} | ${p.p50Ms} | ${p.p95Ms} | ${Object.entries(
              p.upstreams,
            )
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')} |`,
          );
      }
      process.exit(r.phases.every((p) => p.failed === 0 && p.scriptExit === 0) && batchOk(r.batch) ? 0 : 1);
    },
    (err) => {
      console.error(`[zero-downtime] ${err.message}`);
      process.exit(1);
    },
  );
}
