// POST /api/v1/convert's outputs beyond JSON (file formats, a progress stream), what the history keeps of each
// conversion (original, options), POST /api/v1/export for edited SVGs, and the wording of its errors.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { ensureWorkerBundle, fixture, freshIp, multipartRequest } from '@/test/support/api';

process.env.MAX_UPLOAD_BYTES = String(64 * 1024);
process.env.RATE_LIMIT_ANONYMOUS = '1000';
process.env.WORKERS = '1';
process.env.CACHE_TYPE = 'memory';
process.env.TRUST_PROXY = 'true';
process.env.LOG_LEVEL = 'silent';
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-formats-'));
process.env.DATABASE_URL = `file:${path.join(dbDir, 'app.db')}`;
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;

const { POST } = await import('./route');
const exportRoute = await import('../export/route');
const conversionRoute = await import('../conversions/[id]/route');
const originalRoute = await import('../conversions/[id]/original/route');
const conversionsRoute = await import('../conversions/route');
const { proxy, config: proxyConfig } = await import('@/proxy');
const { NextRequest } = await import('next/server');
const { getConvertPool } = await import('@/lib/worker-pool');
const { disconnectDb } = await import('@/lib/db/client');

beforeAll(async () => {
  ensureWorkerBundle();
  await applyMigrations({ databaseUrl: process.env.DATABASE_URL! });
});
afterAll(async () => {
  await getConvertPool().close();
  await disconnectDb();
  rmSync(dbDir, { recursive: true, force: true });
});

const fast = { fields: { options: JSON.stringify({ quality: 'fast' }) }, fileName: 'Brand logo.png' };

describe('file formats', () => {
  it('?format= answers the file itself, named after the upload', async () => {
    const cases: [string, string, (b: Buffer) => void][] = [
      ['pdf', 'application/pdf', (b) => expect(b.subarray(0, 5).toString()).toBe('%PDF-')],
      [
        'eps',
        'application/postscript',
        (b) => expect(b.toString().startsWith('%!PS-Adobe-3.0 EPSF-3.0')).toBe(true),
      ],
      ['dxf', 'image/vnd.dxf', (b) => expect(b.toString()).toMatch(/LWPOLYLINE/)],
      ['png', 'image/png', (b) => expect(b.subarray(1, 4).toString()).toBe('PNG')],
      ['svg', 'image/svg+xml', (b) => expect(b.toString().startsWith('<svg')).toBe(true)],
    ];
    for (const [format, type, check] of cases) {
      const res = await POST(
        multipartRequest(fixture('logo-256.png'), { ...fast, query: `?format=${format}` }),
      );
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-disposition')).toContain(`filename="Brand_logo.${format}"`);
      expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''Brand%20logo.${format}`);
      expect(res.headers.get('x-conversion-id')).toBeTruthy();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      check(Buffer.from(await res.arrayBuffer()));
    }
  });

  it('a PNG at any scale, and DXF splines on request', async () => {
    const png = await POST(
      multipartRequest(fixture('logo-256.png'), { ...fast, query: '?format=png&scale=0.5' }),
    );
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([128, 128]);
    const dxf = await POST(
      multipartRequest(fixture('logo-256.png'), { ...fast, query: '?format=dxf&curves=spline' }),
    );
    const text = await dxf.text();
    expect(text).toMatch(/SPLINE/);
    expect(text).not.toMatch(/LWPOLYLINE/);
  });

  it('the Accept header chooses the format when the query does not', async () => {
    for (const [accept, type] of [
      ['application/pdf', 'application/pdf'],
      ['image/png', 'image/png'],
      ['application/postscript', 'application/postscript'],
      ['application/dxf', 'image/vnd.dxf'],
      ['application/json, image/png;q=0.5', 'application/json'],
    ]) {
      const res = await POST(multipartRequest(fixture('logo-256.png'), { ...fast, headers: { accept } }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type'), accept).toContain(type);
    }
  });

  it('a bad format or scale is a 400 naming the parameter, for every kind of body', async () => {
    const bad = ['?format=gif', '?format=png&scale=100', '?curves=bezier'];
    for (const query of bad) {
      const multipart = await POST(multipartRequest(fixture('logo-256.png'), { query }));
      expect(multipart.status, query).toBe(400);
      const problem = await multipart.json();
      expect(problem.detail).toMatch(/^Invalid query: (format|scale|curves): /);
      const raw = await POST(
        new Request(`http://localhost/api/v1/convert${query}`, {
          method: 'POST',
          body: new Uint8Array(fixture('logo-256.png')),
          headers: { 'content-type': 'image/png', 'x-forwarded-for': freshIp() },
        }),
      );
      expect(raw.status, query).toBe(400);
    }
  });
});

type Line = {
  event: string;
  stage?: string;
  attempt?: number;
  result?: { id: string; svg: string };
  problem?: { status: number; detail: string };
};

async function readLines(res: Response): Promise<Line[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const lines: Line[] = [];
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) if (part) lines.push(JSON.parse(part));
  }
  expect(buffered).toBe('');
  return lines;
}

describe('progress stream (Accept: application/x-ndjson)', () => {
  it('streams each stage as it starts, then the result, through proxies that would buffer', async () => {
    const res = await POST(
      multipartRequest(fixture('gradient.jpg'), {
        fields: { options: JSON.stringify({ quality: 'balanced', params: { colors: 12 } }) },
        headers: { accept: 'application/x-ndjson' },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('set-cookie')).toMatch(/^svgai_history=/);
    const lines = await readLines(res);
    expect(lines.map((l) => l.stage ?? l.event)).toEqual([
      'queued',
      'decode',
      'analyse',
      'trace',
      'measure',
      'result',
    ]);
    const { result } = lines.at(-1)!;
    expect(result!.svg.startsWith('<svg')).toBe(true);
    // the streamed result was recorded like any other
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const open = await conversionRoute.GET(
      new Request(`http://localhost/api/v1/conversions/${result!.id}`, {
        headers: { cookie, 'x-forwarded-for': freshIp() },
      }),
      { params: Promise.resolve({ id: result!.id }) },
    );
    expect(open.status).toBe(200);
  });

  it('a failure is the last line, with its problem and status', async () => {
    const res = await POST(
      multipartRequest(fixture('truncated.png'), { headers: { accept: 'application/x-ndjson' } }),
    );
    expect(res.status).toBe(200);
    const lines = await readLines(res);
    const last = lines.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.problem!.status).toBe(422);
    expect(lines.filter((l) => l.event !== 'stage')).toHaveLength(1);
  });

  it('a client that goes away mid-stream cancels its conversion, and nothing breaks', async () => {
    const client = new AbortController();
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(fixture('gradient.jpg'))], { type: 'image/jpeg' }), 'g.jpg');
    // an unreachable target: the search would run for its whole time budget
    form.set('options', JSON.stringify({ targetSsim: 0.9999 }));
    const res = await POST(
      new Request('http://localhost/api/v1/convert', {
        method: 'POST',
        body: form,
        signal: client.signal,
        headers: { accept: 'application/x-ndjson', 'x-forwarded-for': freshIp() },
      }),
    );
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"stage"');
    client.abort();
    await reader.cancel();
    // the worker stops at its next checkpoint and frees its slot
    const pool = getConvertPool();
    for (let i = 0; i < 200 && pool.pending() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(pool.pending()).toBe(0);
    // and the endpoint still answers
    const after = await POST(multipartRequest(fixture('logo-256.png'), fast));
    expect(after.status).toBe(200);
  });

  it('refuses what it can before streaming: a non-image is a plain 415', async () => {
    const res = await POST(
      multipartRequest(fixture('not-an-image.txt'), {
        fileType: 'text/plain',
        headers: { accept: 'application/x-ndjson' },
      }),
    );
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('the history keeps the original and the options', () => {
  it('serves them back to the owner only, and the SVG in any format', async () => {
    const options = {
      mode: 'color',
      quality: 'fast',
      palette: { colors: ['#FF0000', '#000080', '#ffffff'] },
    };
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), {
        fields: { options: JSON.stringify(options) },
        fileName: 'mark.png',
      }),
    );
    expect(res.status).toBe(200);
    const { id } = await res.json();
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const get = (route: typeof conversionRoute | typeof originalRoute, url: string, c = cookie) =>
      route.GET(new Request(url, { headers: { cookie: c, 'x-forwarded-for': freshIp() } }), {
        params: Promise.resolve({ id }),
      });
    const detail = await (await get(conversionRoute, `http://localhost/api/v1/conversions/${id}`)).json();
    expect(detail.options).toEqual({
      mode: 'color',
      quality: 'fast',
      palette: { colors: ['#ff0000', '#000080', '#ffffff'] },
    });
    expect(detail.inputType).toBe('image/png');
    const original = await get(originalRoute, `http://localhost/api/v1/conversions/${id}/original`);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await original.arrayBuffer()).equals(fixture('logo-256.png'))).toBe(true);
    const pdf = await get(conversionRoute, `http://localhost/api/v1/conversions/${id}?format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('filename="mark.pdf"');
    // another browser sees neither
    const stranger = 'svgai_history=' + 'A'.repeat(43);
    expect(
      (await get(originalRoute, `http://localhost/api/v1/conversions/${id}/original`, stranger)).status,
    ).toBe(404);
    expect(
      (await get(conversionRoute, `http://localhost/api/v1/conversions/${id}?format=pdf`, stranger)).status,
    ).toBe(404);
  });
});

describe('POST /api/v1/export', () => {
  const exportRequest = (body: string, query: string, type = 'image/svg+xml') =>
    exportRoute.POST(
      new Request(`http://localhost/api/v1/export${query}`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, 'x-forwarded-for': freshIp() },
      }),
    );
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><path fill="#123456" d="M0 0h32v32H0z"/><circle cx="16" cy="16" r="8" fill="#abcdef"/></svg>';

  it('applies the SVG options to an SVG export', async () => {
    const res = await exportRequest(svg, '?format=svg&svg=pretty&title=Edited&layers=true');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">\n' +
        '  <title>Edited</title>\n  <g id="layer-1">\n    <path fill="#123456" d="M0 0h32v32H0z"/>\n  </g>\n' +
        '  <g id="layer-2">\n    <circle cx="16" cy="16" r="8" fill="#abcdef"/>\n  </g>\n</svg>\n',
    );
  });

  it('exports an edited SVG in each format', async () => {
    const pdf = await exportRequest(svg, '?format=pdf&name=recoloured.svg');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toContain('filename="recoloured.pdf"');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const png = await exportRequest(svg, '?format=png&scale=3');
    const { data, info } = await sharp(Buffer.from(await png.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([96, 96]);
    expect([...data.subarray((48 * 96 + 48) * info.channels, (48 * 96 + 48) * info.channels + 3)]).toEqual([
      0xab, 0xcd, 0xef,
    ]);
  });

  it('refuses what it cannot export, each with its status and a clear reason', async () => {
    const missing = await exportRequest(svg, '');
    expect(missing.status).toBe(400);
    expect((await missing.json()).detail).toMatch(/^Invalid query: format: /);
    expect((await exportRequest(svg, '?format=pdf', 'text/plain')).status).toBe(415);
    const script = await exportRequest(svg.replace('<path', '<script>alert(1)</script><path'), '?format=pdf');
    expect(script.status).toBe(422);
    expect((await script.json()).detail).toContain('Unsafe SVG');
    const text = await exportRequest(svg.replace('<path', '<text>hi</text><path'), '?format=dxf');
    expect(text.status).toBe(422);
    expect((await text.json()).detail).toContain('<text> is not supported');
    const huge = await exportRequest(svg, '?format=png&scale=16');
    expect(huge.status).toBe(200);
    const tooBig = await exportRequest(svg.replace(/32/g, '2048'), '?format=png&scale=16');
    expect(tooBig.status).toBe(413);
  });
});

describe("a fresh browser's first batch", () => {
  /** A browser's cookie jar: every Set-Cookie it receives replaces the cookie of that name. */
  class Jar {
    cookie: string | null = null;
    take(res: Response) {
      const set = res.headers.get('set-cookie');
      if (set) this.cookie = set.split(';')[0];
    }
  }

  it('records every one of 4 images dropped at once, in whatever order the answers come', async () => {
    const jar = new Jar();
    // the page loads first: it is what the images are dropped on
    const page = proxy(new NextRequest('http://localhost/'));
    jar.take(page);
    expect(jar.cookie).toMatch(/^svgai_history=[A-Za-z0-9_-]{43}$/);
    const ip = freshIp();
    const answers = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        POST(
          multipartRequest(fixture('logo-256.png'), {
            fileName: `first-${i}.png`,
            fields: { options: JSON.stringify({ quality: 'fast', params: { colors: 4 + i } }) },
            headers: { cookie: jar.cookie!, 'x-forwarded-for': ip },
          }),
        ),
      ),
    );
    // the answers arrive in some order; each Set-Cookie would overwrite the jar's cookie
    for (const res of answers.reverse()) {
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      jar.take(res);
    }
    const list = await conversionsRoute.GET(
      new Request('http://localhost/api/v1/conversions', {
        headers: { cookie: jar.cookie!, 'x-forwarded-for': ip },
      }),
    );
    const names = (await list.json()).items.map((c: { fileName: string }) => c.fileName).sort();
    expect(names).toEqual(['first-0.png', 'first-1.png', 'first-2.png', 'first-3.png']);
  });

  it('the page issues no second cookie, and never one for API or asset paths', () => {
    const first = proxy(new NextRequest('http://localhost/history')).headers.get('set-cookie')!;
    const cookie = first.split(';')[0];
    expect(first).toContain('HttpOnly');
    expect(first).toContain('SameSite=Lax');
    expect(
      proxy(new NextRequest('http://localhost/', { headers: { cookie } })).headers.get('set-cookie'),
    ).toBeNull();
    const matcher = new RegExp(`^${proxyConfig.matcher[0].source}$`);
    expect(matcher.test('/')).toBe(true);
    expect(matcher.test('/history')).toBe(true);
    expect(matcher.test('/api/v1/convert')).toBe(false);
    expect(matcher.test('/_next/static/chunk.js')).toBe(false);
    expect(matcher.test('/history/abc/svg')).toBe(false);
  });
});

describe('wording of errors', () => {
  it('sizes read as sizes, not byte counts', async () => {
    const noise = await sharp(randomBytes(200 * 200 * 3), { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    const res = await POST(multipartRequest(noise));
    expect(res.status).toBe(413);
    const { detail } = await res.json();
    expect(detail).toMatch(/^The upload \(\d+ KB\) is larger than the 64 KB limit\.$/);
  });

  it('bad options say which one and why, in a sentence', async () => {
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), {
        fields: { options: JSON.stringify({ params: { colors: 1000 } }) },
      }),
    );
    const { detail } = await res.json();
    expect(detail).toBe('Invalid options: params.colors: Too big: expected number to be <=64.');
    expect(detail).not.toContain('options is invalid');
  });
});

describe('background, ink and SVG options', () => {
  const corner = async (png: Buffer) => {
    const { data } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return [...data.subarray(0, 4)];
  };

  it('?background=drop answers a transparent corner, keep an opaque one, #hex that colour', async () => {
    const cases: [string, (px: number[]) => void][] = [
      ['drop', (px) => expect(px[3]).toBe(0)],
      ['keep', (px) => expect(px[3]).toBe(255)],
      ['%2300aa00', (px) => expect(px).toEqual([0, 170, 0, 255])],
    ];
    for (const [background, check] of cases) {
      const res = await POST(
        multipartRequest(fixture('logo-256.png'), {
          query: `?format=png&quality=fast&mode=color&background=${background}`,
        }),
      );
      expect(res.status, background).toBe(200);
      check(await corner(Buffer.from(await res.arrayBuffer())));
    }
  });

  it('options {mode: "mono"} paint one black ink; {ink} another; form fields work too', async () => {
    const mono = await POST(
      multipartRequest(fixture('logo-256.png'), {
        fields: { options: JSON.stringify({ quality: 'fast', mode: 'mono', background: 'drop' }) },
      }),
    );
    const body = await mono.json();
    expect([...new Set(body.svg.match(/fill="[^"]+"/g))]).toEqual(['fill="#000"']);
    const inked = await POST(
      multipartRequest(fixture('logo-256.png'), {
        fields: { mode: 'mono', quality: 'fast', ink: '#1d3557', background: '#ffcc00' },
      }),
    );
    const fills = new Set((await inked.json()).svg.match(/fill="[^"]+"/g));
    expect(fills).toEqual(new Set(['fill="#1d3557"', 'fill="#fc0"']));
  });

  it('?svg=pretty&title=…&layers=true shape the SVG file and the JSON’s SVG', async () => {
    const res = await POST(
      multipartRequest(fixture('logo-256.png'), {
        ...fast,
        query: '?format=svg&svg=pretty&title=Brand%20%26%20Co&layers=true',
      }),
    );
    const svg = Buffer.from(await res.arrayBuffer()).toString();
    expect(svg).toContain('\n  <title>Brand &#38; Co</title>\n  <g id="layer-1">\n    <path ');
    const json = await (
      await POST(multipartRequest(fixture('logo-256.png'), { ...fast, query: '?layers=true' }))
    ).json();
    expect(json.svg).toContain('<g id="layer-1">');
  });

  it('a bad background, ink or SVG option is a 400 problem naming it', async () => {
    for (const [query, name] of [
      ['?background=transparent', 'background'],
      ['?ink=black', 'ink'],
      ['?svg=compact', 'svg'],
      ['?layers=yes', 'layers'],
    ]) {
      const res = await POST(multipartRequest(fixture('logo-256.png'), { query }));
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(await res.json())).toContain(name);
    }
  });
});
