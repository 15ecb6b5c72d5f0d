/**
 * Runs the seeded hostile cases (generate-cases.ts) against a running server and judges every answer: crashes
 * (the server stops answering), hangs, 5xx (a 503 with Retry-After is load shedding, not a failure), errors that
 * are not problem+json, and unsafe SVG in a 200. Also reads the server's RSS before and after, when it may.
 */
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { assertSafeSvg } from '@/lib/vectorize/svg/assert-safe-svg';
import { generateCase, type FuzzCase, type SeedImage } from './generate-cases';

export type FuzzOptions = {
  url: string;
  cases: number;
  seed: number;
  concurrency?: number;
  /** A case answering later than this counts as a hang (the server's own timeout is 30 s). */
  caseTimeoutMs?: number;
  /** Sent as "Authorization: Bearer" to read /api/metrics for RSS (not needed from this machine in development). */
  metricsToken?: string;
  /** Seconds to wait after the run before the last RSS reading (memory held when idle). */
  idleSeconds?: number;
  onProgress?: (done: number, total: number) => void;
};

type Finding = { id: number; category: string; description: string; problem: string };

export type FuzzSummary = {
  seed: number;
  cases: number;
  byCategory: Record<string, number>;
  statuses: Record<string, number>;
  crashes: number;
  hangs: number;
  serverErrors: number;
  shed: number;
  nonProblemErrors: number;
  unsafe: number;
  findings: Finding[];
  rssMb: { before: number | null; after: number | null; idle: number | null };
  durationSeconds: number;
};

const root = path.resolve(import.meta.dirname, '../..');

/** Real encodings of two fixtures in every accepted format, small enough that valid cases convert quickly. */
export async function makeSeedImages(): Promise<SeedImage[]> {
  const sources = ['test/fixtures/api/logo-256.png', 'test/fixtures/api/gradient.jpg'];
  const seeds: SeedImage[] = [];
  for (const file of sources) {
    const base = sharp(path.join(root, file)).resize(64, 64, { fit: 'inside' });
    const stem = path.basename(file).replace(/\.\w+$/, '');
    seeds.push(
      { name: `${stem}.png`, type: 'image/png', bytes: await base.clone().png().toBuffer() },
      { name: `${stem}.jpg`, type: 'image/jpeg', bytes: await base.clone().jpeg({ quality: 80 }).toBuffer() },
      { name: `${stem}.webp`, type: 'image/webp', bytes: await base.clone().webp().toBuffer() },
      { name: `${stem}.gif`, type: 'image/gif', bytes: await base.clone().gif().toBuffer() },
      { name: `${stem}.tiff`, type: 'image/tiff', bytes: await base.clone().tiff().toBuffer() },
      {
        name: `${stem}-16bit.png`,
        type: 'image/png',
        bytes: await base.clone().toColourspace('rgb16').png().toBuffer(),
      },
      {
        name: `${stem}-grey.png`,
        type: 'image/png',
        bytes: await base.clone().greyscale().png({ palette: true }).toBuffer(),
      },
      {
        name: `${stem}-cmyk.jpg`,
        type: 'image/jpeg',
        bytes: await base.clone().toColourspace('cmyk').jpeg().toBuffer(),
      },
    );
  }
  seeds.push({
    name: 'logo.avif',
    type: 'image/avif',
    bytes: await sharp(path.join(root, sources[0])).resize(32).avif().toBuffer(),
  });
  return seeds;
}

async function sendHttp(base: string, c: FuzzCase & { request: { transport: 'http' } }, timeoutMs: number) {
  const { method, headers, body } = c.request;
  const res = await fetch(base + c.request.path, {
    method,
    headers,
    body:
      method === 'GET' || method === 'HEAD'
        ? undefined
        : body instanceof FormData
          ? body
          : body
            ? new Uint8Array(body)
            : undefined,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Writes raw bytes and reads until the server closes or the timeout; parses the status line and headers. */
function sendSocket(base: string, bytes: Buffer, timeoutMs: number) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; headers: Headers; body: Buffer } | null>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // The server dropping a connection it will not serve (reset, broken pipe) is an answer, not a crash.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') resolve(parse());
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse());
    });
    function parse() {
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      if (!raw.length || end < 0) return null;
      const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers = new Headers();
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers.append(l.slice(0, i).trim(), l.slice(i + 1).trim());
      }
      return { status, headers, body: raw.subarray(end + 4) };
    }
  });
}

function svgOf(status: number, headers: Headers, body: Buffer): string | null {
  if (status !== 200) return null;
  const type = headers.get('content-type') ?? '';
  if (type.startsWith('image/svg+xml')) return body.toString('utf8');
  if (type.startsWith('application/json')) {
    try {
      const json = JSON.parse(body.toString('utf8')) as { svg?: unknown };
      return typeof json.svg === 'string' ? json.svg : null;
    } catch {
      return null;
    }
  }
  return null;
}

async function isAlive(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/api/health/live`, { signal: AbortSignal.timeout(10_000) })).ok;
  } catch {
    return false;
  }
}

async function readRssMb(base: string, token?: string): Promise<number | null> {
  try {
    const res = await fetch(`${base}/api/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const m = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(await res.text());
    return m ? Math.round(Number(m[1]) / 1024 / 1024) : null;
  } catch {
    return null;
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.caseTimeoutMs ?? 45_000;
  const concurrency = options.concurrency ?? 4;
  const started = performance.now();
  const seeds = await makeSeedImages();
  const summary: FuzzSummary = {
    seed: options.seed,
    cases: 0,
    byCategory: {},
    statuses: {},
    crashes: 0,
    hangs: 0,
    serverErrors: 0,
    shed: 0,
    nonProblemErrors: 0,
    unsafe: 0,
    findings: [],
    rssMb: { before: await readRssMb(base, options.metricsToken), after: null, idle: null },
    durationSeconds: 0,
  };
  const note = (c: FuzzCase, problem: string) => {
    if (summary.findings.length < 200)
      summary.findings.push({ id: c.id, category: c.category, description: c.description, problem });
  };

  async function runOne(id: number): Promise<void> {
    const c = generateCase(options.seed, id, seeds);
    summary.cases++;
    summary.byCategory[c.category] = (summary.byCategory[c.category] ?? 0) + 1;
    let answer: { status: number; headers: Headers; body: Buffer } | null;
    try {
      answer =
        c.request.transport === 'http'
          ? await sendHttp(base, c as FuzzCase & { request: { transport: 'http' } }, timeoutMs)
          : await sendSocket(base, c.request.bytes, timeoutMs);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.message === 'timeout') {
        summary.hangs++;
        note(c, `no answer within ${timeoutMs} ms`);
      } else if (!(await isAlive(base))) {
        summary.crashes++;
        note(c, `server stopped answering: ${e.cause?.code ?? e.message}`);
        throw new Error(`server down after case ${c.id} (${c.description})`);
      } else if (
        c.request.transport === 'http' &&
        /other side closed|ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(
          `${e.cause?.code ?? ''} ${e.message} ${String(e.cause)}`,
        )
      ) {
        // The server closed the connection without reading an upload it refused early (shed, 413): allowed.
        summary.statuses.closed = (summary.statuses.closed ?? 0) + 1;
      } else {
        note(c, `request failed: ${e.cause?.code ?? e.message}`);
      }
      return;
    }
    if (!answer) {
      summary.statuses.closed = (summary.statuses.closed ?? 0) + 1;
      return;
    }
    const { status, headers, body } = answer;
    summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
    const type = headers.get('content-type') ?? '';
    const fromParser =
      c.request.transport === 'socket' && c.request.parserMayAnswer && !type.includes('json');
    if (status >= 500) {
      if (status === 503 && headers.get('retry-after')) summary.shed++;
      else if (!fromParser) {
        summary.serverErrors++;
        note(c, `${status}: ${body.toString('utf8').slice(0, 200)}`);
      }
    }
    // Where the request really went: fetch resolves dot segments (/api/v1/../../etc/passwd is /etc/passwd).
    const apiPath =
      c.request.transport === 'http' ? new URL(base + c.request.path).pathname.startsWith('/api/') : true;
    if (status >= 400 && apiPath && !fromParser && !type.startsWith('application/problem+json')) {
      summary.nonProblemErrors++;
      note(c, `${status} answered as "${type}"`);
    }
    const svg = svgOf(status, headers, body);
    if (svg !== null) {
      try {
        assertSafeSvg(svg);
      } catch (err) {
        summary.unsafe++;
        note(c, (err as Error).message);
      }
    }
  }

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.cases) {
      const id = next++;
      await runOne(id);
      done++;
      if (done % 50 === 0) options.onProgress?.(done, options.cases);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } catch (err) {
    summary.findings.push({
      id: -1,
      category: 'crash',
      description: 'run stopped',
      problem: (err as Error).message,
    });
  }
  if (!(await isAlive(base)) && summary.crashes === 0) {
    summary.crashes++;
    summary.findings.push({
      id: -1,
      category: 'crash',
      description: 'after the run',
      problem: 'liveness failed',
    });
  }
  summary.rssMb.after = await readRssMb(base, options.metricsToken);
  if (options.idleSeconds) {
    await new Promise((r) => setTimeout(r, options.idleSeconds! * 1000));
    summary.rssMb.idle = await readRssMb(base, options.metricsToken);
  }
  summary.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  return summary;
}
