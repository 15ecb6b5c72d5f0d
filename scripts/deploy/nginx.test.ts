/**
 * docker/nginx/nginx.conf run for real: the installed nginx serves a copy of the file, changed only where it has
 * to be to run from a temporary directory on loopback ports (ports, upstream address, certificate paths, pid and
 * temp paths, and the http2 spelling on nginx < 1.25.1), and the test speaks HTTP, HTTPS and HTTP/2 to it.
 * Numbers the tests depend on (client_max_body_size, gzip_min_length, gzip_types) are read from the file.
 *
 * Upstream: a small node:http echo server, not the app. What these tests must see is what nginx hands the
 * upstream (forwarded headers, request ids, body sizes) and whether a request reached it at all (413, 403); the
 * app does not report the headers it received, and it needs a build plus a database to start, which would make
 * a proxy test take minutes instead of seconds. What the app does with those headers is the app's tests' job
 * (lib/log/logger.test.ts for request ids, lib/auth/sign-in-limit.test.ts for the forwarded address).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const confPath = path.resolve(import.meta.dirname, '../../docker/nginx/nginx.conf');
const original = fs.readFileSync(confPath, 'utf8');

/** A directive's value as the config sets it, so the tests follow the file instead of repeating its numbers. */
function directive(name: string): string {
  const m = new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(original);
  if (!m) throw new Error(`nginx.conf no longer sets ${name}`);
  return m[1].trim();
}
const maxBodyBytes = (() => {
  const m = /^(\d+)m$/.exec(directive('client_max_body_size'));
  if (!m) throw new Error('client_max_body_size is expected in megabytes (e.g. 12m)');
  return Number(m[1]) * 1024 * 1024;
})();
const gzipMinLength = Number(directive('gzip_min_length'));
const gzipTypes = directive('gzip_types').split(/\s+/);

function nginxVersion(): [number, number, number] {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (r.error)
    throw new Error(`nginx is not on PATH (${r.error.message}): install nginx (apt-get install nginx-light)`);
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(r.stderr + r.stdout);
  if (!m) throw new Error(`cannot read the nginx version from: ${r.stderr}${r.stdout}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Replaces text that must be in the file exactly once: a changed config fails here instead of running unchanged. */
function replaceOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`expected "${from}" exactly once in nginx.conf, found it ${count} times`);
  return text.replace(from, () => to);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

type Ports = { http: number; https: number; upstream: number };

/** The runnable copy of nginx.conf: only addresses, paths and (on old nginx) the http2 spelling differ. */
function runnableConfig(dir: string, ports: Ports, version: [number, number, number]): string {
  const [major, minor, patch] = version;
  const hasHttp2Directive = major > 1 || (major === 1 && (minor > 25 || (minor === 25 && patch >= 1)));
  let conf = original;
  conf = replaceOnce(conf, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  conf = replaceOnce(conf, 'listen [::]:80;', `listen [::1]:${ports.http};`);
  if (hasHttp2Directive) {
    conf = replaceOnce(conf, 'listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
    conf = replaceOnce(conf, 'listen [::]:443 ssl;', `listen [::1]:${ports.https} ssl;`);
  } else {
    // `http2 on;` exists since nginx 1.25.1 (production runs nginx:1.27); older nginx spells it on the listen.
    conf = replaceOnce(conf, 'listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl http2;`);
    conf = replaceOnce(conf, 'listen [::]:443 ssl;', `listen [::1]:${ports.https} ssl http2;`);
    conf = replaceOnce(conf, 'http2 on;', '# http2 on; (moved to the listen lines for this nginx version)');
  }
  conf = replaceOnce(conf, 'server app:3000;', `server 127.0.0.1:${ports.upstream};`);
  conf = replaceOnce(conf, '/etc/nginx/certs/tls.crt', path.join(dir, 'tls.crt'));
  conf = replaceOnce(conf, '/etc/nginx/certs/tls.key', path.join(dir, 'tls.key'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${path.join(dir, `${kind}_temp`)};`)
    .join('\n');
  return replaceOnce(conf, 'http {', `http {\n${temp}`);
}

/** What the echo upstream saw of one request. */
type Seen = {
  method: string;
  url: string;
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
};

/**
 * The upstream: records every request, answers with JSON describing it. `?bytes=N` pads the JSON to exactly N
 * bytes, `?status=` and `?type=` pick the status and content type, so the tests can hold nginx to both sides.
 */
function startEchoUpstream(seen: Seen[]): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      const record: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: req.headers,
        bodyBytes,
      };
      seen.push(record);
      const query = new URL(record.url, 'http://upstream').searchParams;
      if (query.has('stream')) return streamLines(res, query.get('stream')!);
      let body = JSON.stringify(record);
      const bytes = Number(query.get('bytes') ?? 0);
      if (bytes) {
        const shell = JSON.stringify({ pad: '' });
        if (bytes < shell.length) throw new Error(`bytes=${bytes} is below ${shell.length}`);
        body = JSON.stringify({ pad: 'x'.repeat(bytes - shell.length) });
      }
      res.writeHead(Number(query.get('status') ?? 200), {
        'content-type': query.get('type') ?? 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as net.AddressInfo).port }),
    ),
  );
}

/**
 * `?stream=<id>`: answers like the convert endpoint's progress stream (application/x-ndjson, X-Accel-Buffering:
 * no), one line, then holds the rest until the client says it has that line (streamHandshakes) or 5 s pass.
 * A proxy that buffered the answer would hold the first line back, and the upstream would end on its timeout.
 */
const streamHandshakes = new Map<
  string,
  { received: () => void; outcome: Promise<'handshake' | 'timeout'> }
>();
function streamLines(res: http.ServerResponse, id: string): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-accel-buffering': 'no' });
  res.write(`${JSON.stringify({ event: 'stage', stage: 'decode' })}\n`);
  let received = () => {};
  const outcome = new Promise<'handshake' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 5000);
    received = () => {
      clearTimeout(timer);
      resolve('handshake');
    };
  });
  streamHandshakes.set(id, { received: () => received(), outcome });
  void outcome.then(() => res.end(`${JSON.stringify({ event: 'result', result: {} })}\n`));
}

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

let dir = '';
let ports: Ports;
let cert: Buffer;
let nginx: ChildProcess | undefined;
let logPath = '';
let upstream: http.Server | undefined;
const seen: Seen[] = [];

/** One request on a fresh connection; `body` may be a Buffer (Content-Length) or chunks (chunked encoding). */
function request(
  scheme: 'http' | 'https',
  target: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | Buffer[];
    host?: string;
    localAddress?: string;
  } = {},
): Promise<Reply> {
  const host = options.host ?? '127.0.0.1';
  const lib = scheme === 'https' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host,
      port: scheme === 'https' ? ports.https : ports.http,
      path: target,
      method: options.method ?? 'GET',
      headers: options.headers,
      localAddress: options.localAddress,
      agent: false,
      ca: cert,
      servername: 'localhost',
      timeout: 10_000,
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    // nginx answers 413 as soon as it knows the size; the rest of the upload may then hit a closed socket.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${scheme} ${target}`)));
    if (Array.isArray(options.body)) {
      for (const chunk of options.body) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

const unique = (prefix = '/t') => `${prefix}/${randomUUID()}`;
const seenAt = (target: string) => seen.filter((s) => s.url === target);
const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as Seen;

const nginxOutput = () => fs.readFileSync(logPath, 'utf8');

/** The access-log entry for a path (nginx writes it after the response, so wait for it briefly). */
async function accessLogEntry(target: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    for (const line of nginxOutput().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.uri === target) return entry;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no access-log line for ${target} in:\n${nginxOutput()}`);
}

beforeAll(async () => {
  const version = nginxVersion();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-nginx-'));
  // As root nginx workers run as nobody: they must reach the temp directories under this one.
  fs.chmodSync(dir, 0o755);
  const ssl = spawnSync(
    'openssl',
    // prettier-ignore
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt'),
    ],
    { encoding: 'utf8' },
  );
  if (ssl.status !== 0) throw new Error(`openssl req failed: ${ssl.stderr}`);
  cert = fs.readFileSync(path.join(dir, 'tls.crt'));

  const up = await startEchoUpstream(seen);
  upstream = up.server;
  ports = { http: await freePort('127.0.0.1'), https: await freePort('127.0.0.1'), upstream: up.port };
  fs.writeFileSync(path.join(dir, 'nginx.conf'), runnableConfig(dir, ports, version));
  logPath = path.join(dir, 'nginx.out');
}, 30_000);

const nginxArgs = () => ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr'];
/**
 * nginx's stdout and stderr go to a file: the config logs to /dev/stdout, which nginx cannot open when it is
 * the socket Node's child-process pipes are made of (ENXIO); in a container it is a pipe or a terminal.
 */
const nginxStdio = (): ['ignore', number, number] => {
  const fd = fs.openSync(logPath, 'a');
  return ['ignore', fd, fd];
};

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGTERM');
    await exited;
  }
  if (upstream) {
    upstream.closeAllConnections();
    await new Promise((r) => upstream!.close(r));
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('docker/nginx/nginx.conf under the real nginx', () => {
  it('keeps the production spelling of HTTP/2 (`http2 on;`, nginx >= 1.25.1, the image runs 1.27)', () => {
    expect(original).toMatch(/^\s*http2 on;/m);
    const compose = fs.readFileSync(path.resolve(path.dirname(confPath), '../docker-compose.yml'), 'utf8');
    const [, major, minor] = /image: nginx:(\d+)\.(\d+)/.exec(compose) ?? [];
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(1025);
  });

  it('passes `nginx -t`', () => {
    const stdio = nginxStdio();
    const r = spawnSync('nginx', ['-t', ...nginxArgs(), '-g', `pid ${path.join(dir, 'nginx.pid')};`], {
      stdio,
    });
    fs.closeSync(stdio[1]);
    expect(r.status, nginxOutput()).toBe(0);
    expect(nginxOutput()).toContain('test is successful');
  });

  it('passes `nginx -t` with the plain-host upstream include (docs/DEPLOYMENT.md, Option 3), and refuses a bad one', () => {
    // What scripts/deploy/lib.sh switch_proxy writes to NGINX_UPSTREAM_FILE, included where `server app:3000;` was.
    const include = path.join(dir, 'upstream.conf');
    const conf = replaceOnce(
      fs.readFileSync(path.join(dir, 'nginx.conf'), 'utf8'),
      `server 127.0.0.1:${ports.upstream};`,
      `include ${include};`,
    );
    const confFile = path.join(dir, 'nginx-include.conf');
    fs.writeFileSync(confFile, conf);
    const check = (upstreamLine: string) => {
      fs.writeFileSync(include, `# Written by scripts/deploy (slot green, release r).\n${upstreamLine}\n`);
      // Output to a file, not a pipe: the config logs to /dev/stdout (see nginxStdio).
      const out = path.join(dir, 'nginx-t.out');
      const fd = fs.openSync(out, 'w');
      const r = spawnSync(
        'nginx',
        ['-t', '-p', dir, '-c', confFile, '-e', 'stderr', '-g', `pid ${path.join(dir, 'nginx-t.pid')};`],
        { stdio: ['ignore', fd, fd] },
      );
      fs.closeSync(fd);
      return { status: r.status, stderr: fs.readFileSync(out, 'utf8') };
    };
    const ok = check('server 127.0.0.1:3511;');
    expect(ok.status, ok.stderr).toBe(0);
    const bad = check('server no-such-host.invalid:3511;');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('host not found in upstream');
  });

  describe('serving', () => {
    beforeAll(async () => {
      const stdio = nginxStdio();
      nginx = spawn('nginx', [...nginxArgs(), '-g', `pid ${path.join(dir, 'nginx.pid')}; daemon off;`], {
        stdio,
      });
      fs.closeSync(stdio[1]);
      for (let i = 0; ; i++) {
        if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}):\n${nginxOutput()}`);
        try {
          if ((await request('http', '/healthz')).status === 200) break;
        } catch (err) {
          if (i >= 100) throw new Error(`nginx did not answer on :${ports.http}: ${err}\n${nginxOutput()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    it('redirects plain HTTP to HTTPS with the same host, path and query, without asking the app', async () => {
      const target = `${unique()}?page=2&q=a%20b`;
      const r = await request('http', target, { headers: { host: 'svg.example.com' } });
      expect(r.status).toBe(301);
      expect(r.headers.location).toBe(`https://svg.example.com${target}`);
      const post = await request('http', target, { method: 'POST', body: Buffer.from('x') });
      expect(post.status).toBe(301);
      expect(seenAt(target)).toEqual([]);
    });

    it('answers /healthz on plain HTTP itself (200 "ok"), without a redirect and without the app', async () => {
      const before = seen.length;
      const r = await request('http', '/healthz');
      expect(r.status).toBe(200);
      expect(r.body.toString()).toBe('ok\n');
      expect(seen.length).toBe(before);
    });

    it('serves over IPv6 as over IPv4 (the config listens on both)', async () => {
      const target = unique();
      expect((await request('http', target, { host: '::1', headers: { host: 'h' } })).status).toBe(301);
      const r = await request('https', target, { host: '::1' });
      expect(r.status).toBe(200);
      expect(json(r).headers['x-real-ip']).toBe('::1');
    });

    it('proxies HTTPS to the app: status, content type and body pass through byte for byte', async () => {
      const target = `${unique()}?status=418&type=application/problem%2Bjson`;
      const r = await request('https', target);
      expect(r.status).toBe(418);
      expect(r.headers['content-type']).toBe('application/problem+json');
      const [upstreamSaw] = seenAt(target);
      expect(r.body.toString()).toBe(JSON.stringify(upstreamSaw));
      expect(upstreamSaw.method).toBe('GET');
    });

    it('tells the app the real client, the scheme and the host over a kept-alive HTTP/1.1 connection', async () => {
      const target = unique();
      await request('https', target, { headers: { host: 'svg.example.com' } });
      const [s] = seenAt(target);
      expect(s.httpVersion).toBe('1.1');
      expect(s.headers.connection).toBeUndefined(); // `Connection: close` would defeat the upstream keepalive pool
      expect(s.headers.host).toBe('svg.example.com');
      expect(s.headers['x-forwarded-proto']).toBe('https');
      expect(s.headers['x-real-ip']).toBe('127.0.0.1');
      expect(s.headers['x-forwarded-for']).toBe('127.0.0.1');
    });

    it('does not let a client forge the address the app rate-limits on (the app reads the first X-Forwarded-For hop)', async () => {
      const target = unique();
      await request('https', target, {
        headers: { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.8' },
      });
      const [s] = seenAt(target);
      expect(s.headers['x-forwarded-for']?.toString().split(',')[0].trim()).toBe('127.0.0.1');
      expect(s.headers['x-real-ip']).toBe('127.0.0.1');
    });

    it('keeps a client X-Request-Id, generates one when missing, and logs the id the app got', async () => {
      const kept = unique();
      await request('https', kept, { headers: { 'x-request-id': 'client-req-0001' } });
      expect(seenAt(kept)[0].headers['x-request-id']).toBe('client-req-0001');
      expect((await accessLogEntry(kept)).request_id).toBe('client-req-0001');

      const made = [unique(), unique()];
      for (const target of made) await request('https', target);
      const ids = made.map((target) => String(seenAt(target)[0].headers['x-request-id']));
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(ids[0]).not.toBe(ids[1]);
      expect((await accessLogEntry(made[0])).request_id).toBe(ids[0]);

      // An id the app would refuse (lib/log/request-log.ts) is replaced here, so nginx and the app log one id.
      const refused = unique();
      await request('https', refused, { headers: { 'x-request-id': 'bad id' } });
      const replaced = String(seenAt(refused)[0].headers['x-request-id']);
      expect(replaced).toMatch(/^[0-9a-f]{32}$/);
      expect((await accessLogEntry(refused)).request_id).toBe(replaced);
    });

    it(`passes an upload of exactly client_max_body_size (${maxBodyBytes} bytes) to the app`, async () => {
      const target = unique();
      const r = await request('https', target, { method: 'POST', body: Buffer.alloc(maxBodyBytes, 1) });
      expect(r.status).toBe(200);
      expect(seenAt(target)[0].bodyBytes).toBe(maxBodyBytes);
    });

    it('answers 413 itself for one byte more, declared or chunked, and the app never sees the request', async () => {
      const declared = unique();
      const r = await request('https', declared, { method: 'POST', body: Buffer.alloc(maxBodyBytes + 1, 1) });
      expect(r.status).toBe(413);
      expect(r.headers['x-content-type-options']).toBe('nosniff');

      const chunked = unique();
      const chunk = Buffer.alloc(1024 * 1024, 2);
      const chunks = Array.from({ length: maxBodyBytes / chunk.length + 1 }, () => chunk);
      const c = await request('https', chunked, { method: 'POST', body: chunks });
      expect(c.status).toBe(413);
      expect([...seenAt(declared), ...seenAt(chunked)]).toEqual([]);
    });

    it(`gzips the app's ${gzipTypes.join(', ')} responses from gzip_min_length (${gzipMinLength} bytes) when the client accepts gzip`, async () => {
      for (const type of ['application/json', 'application/problem+json', 'image/svg+xml']) {
        expect(gzipTypes).toContain(type);
        const target = `${unique()}?bytes=${gzipMinLength + 1000}&type=${encodeURIComponent(type)}`;
        const r = await request('https', target, { headers: { 'accept-encoding': 'gzip' } });
        expect(r.headers['content-encoding'], type).toBe('gzip');
        expect(r.headers.vary).toContain('Accept-Encoding');
        const plain = gunzipSync(r.body);
        expect(plain.length).toBe(gzipMinLength + 1000);
        expect(r.body.length).toBeLessThan(plain.length);
      }
      const small = await request('https', `${unique()}?bytes=${gzipMinLength - 1}`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(small.body.length).toBe(gzipMinLength - 1);
      const refuses = await request('https', `${unique()}?bytes=${gzipMinLength + 1000}`);
      expect(refuses.headers['content-encoding']).toBeUndefined();
      expect(refuses.body.length).toBe(gzipMinLength + 1000);
    });

    it('passes a progress stream (NDJSON with X-Accel-Buffering: no) line by line, unbuffered and not gzipped', async () => {
      const id = randomUUID();
      const lines: string[] = [];
      const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
        const req = https.request({
          host: '127.0.0.1',
          port: ports.https,
          path: `${unique()}?stream=${id}`,
          headers: { 'accept-encoding': 'gzip', accept: 'application/x-ndjson' },
          agent: false,
          ca: cert,
          servername: 'localhost',
        });
        req.on('response', (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            lines.push(...chunk.split('\n').filter(Boolean));
            // the first line arrived while the upstream still holds the rest
            if (lines.length === 1) streamHandshakes.get(id)?.received();
          });
          res.on('end', () => resolve(res.headers));
        });
        req.on('error', reject);
        req.end();
      });
      expect(await streamHandshakes.get(id)!.outcome).toBe('handshake');
      expect(lines.map((l) => JSON.parse(l).event)).toEqual(['stage', 'result']);
      expect(headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(headers['content-encoding']).toBeUndefined();
    });

    it('sets HSTS, nosniff and Referrer-Policy on every HTTPS response, static assets included, and hides its version', async () => {
      const targets = [unique(), `/_next/static/chunks/${randomUUID()}.js`, '/ops', `${unique()}?status=500`];
      for (const target of targets) {
        const r = await request('https', target);
        expect(r.headers['strict-transport-security'], target).toBe('max-age=63072000; includeSubDomains');
        expect(r.headers['x-content-type-options'], target).toBe('nosniff');
        expect(r.headers['referrer-policy'], target).toBe('strict-origin-when-cross-origin');
        expect(r.headers.server, target).toBe('nginx');
      }
    });

    it('marks content-hashed build assets immutable for a year', async () => {
      const target = `/_next/static/chunks/${randomUUID()}.js`;
      const r = await request('https', target);
      expect(r.status).toBe(200);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(seenAt(target)).toHaveLength(1);
      expect((await request('https', unique())).headers['cache-control']).toBeUndefined();
    });

    it('speaks HTTP/2 over TLS (ALPN h2) and proxies it like HTTP/1.1', async () => {
      const target = unique();
      const session = http2.connect(`https://127.0.0.1:${ports.https}`, {
        ca: cert,
        servername: 'localhost',
      });
      try {
        const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const stream = session.request({ ':path': target, 'x-request-id': 'h2-request-01' });
          let status = 0;
          let body = '';
          stream.on('response', (h) => (status = Number(h[':status'])));
          stream.on('data', (c: Buffer) => (body += c.toString()));
          stream.on('end', () => resolve({ status, body }));
          stream.on('error', reject);
        });
        expect(session.alpnProtocol).toBe('h2');
        expect(status).toBe(200);
        expect(JSON.parse(body).headers['x-forwarded-proto']).toBe('https');
        expect(seenAt(target)[0].headers['x-request-id']).toBe('h2-request-01');
      } finally {
        session.close();
      }
    });

    const restricted = ['/ops', '/ops/', '/ops/snapshot?range=1h', '/api/metrics', '/api/metrics/'];

    it('lets a private address (127.0.0.1, ::1) reach /ops and /api/metrics', async () => {
      for (const host of ['127.0.0.1', '::1']) {
        for (const target of restricted) {
          const r = await request('https', target, { host });
          expect(r.status, `${host} ${target}`).toBe(200);
          expect(json(r).url).toBe(target);
        }
      }
    });

    // Denial from a public address cannot be produced on one machine without changing its network; 127.0.0.2
    // is on no allow line (the list names 127.0.0.1, not 127.0.0.0/8), so it takes the same path a public
    // address does: past every allow rule to `deny all`. Encoded and doubled-slash spellings are checked too.
    it('denies /ops and /api/metrics, however spelled, to an address on no allow line, before the app', async () => {
      const spellings = [...restricted, '/%6Fps', '//ops', '/api//metrics', '/api/%6detrics', '/ops/../ops'];
      for (const target of spellings) {
        const before = seen.length;
        const r = await request('https', target, { localAddress: '127.0.0.2' });
        expect(r.status, target).toBe(403);
        expect(seen.slice(before), target).toEqual([]);
      }
      const open = unique();
      expect((await request('https', open, { localAddress: '127.0.0.2' })).status).toBe(200);
      expect((await request('https', '/opsroom', { localAddress: '127.0.0.2' })).status).toBe(200);
    });
  });
});
