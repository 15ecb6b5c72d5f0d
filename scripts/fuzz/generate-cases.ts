/**
 * A seeded generator of hostile requests for the running server: mutated and forged images (truncations, bit
 * flips, forged dimensions, pixel bombs, polyglots), malformed multipart and JSON bodies, option abuse, and
 * protocol abuse on a raw socket. The same seed always yields the same cases, so a failure can be replayed.
 */
import { deflateSync } from 'node:zlib';

/** Deterministic 32-bit PRNG (mulberry32): fast, tiny, and good enough to pick mutations. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}
export type Random = ReturnType<typeof createRandom>;

/** An HTTP request the runner sends with fetch, or raw bytes it writes on a socket (for what fetch forbids). */
export type FuzzRequest =
  | {
      transport: 'http';
      method: string;
      path: string;
      headers: Record<string, string>;
      body?: Buffer | FormData;
    }
  | {
      transport: 'socket';
      bytes: Buffer;
      /** Node's HTTP parser may answer itself (plain text, 400/413/431). */ parserMayAnswer: boolean;
    };

export type FuzzCase = { id: number; category: string; description: string; request: FuzzRequest };

/** Seed images the mutations start from (real encodings, made by the runner with sharp). */
export type SeedImage = { name: string; type: string; bytes: Buffer };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG claiming `width` x `height` (valid CRCs), with `rows` rows of real (zero) data behind it. */
export function forgedPng(width: number, height: number, rows = 1, colorType = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width >>> 0, 0);
  ihdr.writeUInt32BE(height >>> 0, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 1;
  const rowBytes = Math.min(width, 100_000) * channels + 1;
  const raw = Buffer.alloc(Math.min(rows, height) * rowBytes);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the dimensions a PNG (IHDR, CRC fixed), JPEG (SOF) or GIF (screen) declares. */
function forgeDimensions(seed: SeedImage, width: number, height: number): Buffer {
  const b = Buffer.from(seed.bytes);
  if (seed.type === 'image/png' && b.length > 33) {
    b.writeUInt32BE(width >>> 0, 16);
    b.writeUInt32BE(height >>> 0, 20);
    b.writeUInt32BE(crc32(b.subarray(12, 29)), 29);
    return b;
  }
  if (seed.type === 'image/jpeg') {
    for (let i = 2; i + 9 < b.length;) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1];
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xc3) {
        b.writeUInt16BE(Math.min(height, 0xffff), i + 5);
        b.writeUInt16BE(Math.min(width, 0xffff), i + 7);
        return b;
      }
      i += 2 + len;
    }
    return b;
  }
  if (seed.type === 'image/gif' && b.length > 10) {
    b.writeUInt16LE(Math.min(width, 0xffff), 6);
    b.writeUInt16LE(Math.min(height, 0xffff), 8);
  }
  return b;
}

function mutate(rng: Random, seed: SeedImage): { bytes: Buffer; how: string } {
  const b = Buffer.from(seed.bytes);
  switch (rng.int(0, 6)) {
    case 0: {
      const at = rng.int(0, b.length - 1);
      return { bytes: b.subarray(0, at), how: `truncated at ${at}/${b.length}` };
    }
    case 1: {
      const flips = rng.int(1, 32);
      for (let i = 0; i < flips; i++) b[rng.int(0, b.length - 1)] ^= 1 << rng.int(0, 7);
      return { bytes: b, how: `${flips} bit flips` };
    }
    case 2: {
      const n = rng.int(1, 64);
      const at = rng.int(0, b.length - 1);
      for (let i = 0; i < n && at + i < b.length; i++) b[at + i] = rng.pick([0, 0xff, rng.int(0, 255)]);
      return { bytes: b, how: `${n} bytes overwritten at ${at}` };
    }
    case 3: {
      const at = rng.int(0, b.length);
      return {
        bytes: Buffer.concat([b.subarray(0, at), rng.bytes(rng.int(1, 512)), b.subarray(at)]),
        how: `bytes inserted at ${at}`,
      };
    }
    case 4: {
      const at = rng.int(0, b.length - 1);
      const len = rng.int(1, Math.max(1, b.length - at));
      return {
        bytes: Buffer.concat([b.subarray(0, at), b.subarray(at + len)]),
        how: `${len} bytes deleted at ${at}`,
      };
    }
    case 5: {
      const at = rng.int(0, b.length - 1);
      const len = rng.int(1, Math.min(4096, b.length - at));
      const slice = b.subarray(at, at + len);
      return {
        bytes: Buffer.concat([b.subarray(0, at + len), slice, slice, b.subarray(at + len)]),
        how: 'slice repeated',
      };
    }
    default: {
      const dims = rng.pick([
        [0, 0],
        [1, 0],
        [0x7fffffff, 0x7fffffff],
        [65535, 65535],
        [100_000, 1],
        [1, 100_000],
        [5001, 5001],
        [rng.int(1, 70_000), rng.int(1, 70_000)],
      ]);
      return {
        bytes: forgeDimensions(seed, dims[0], dims[1]),
        how: `dimensions forged to ${dims[0]}x${dims[1]}`,
      };
    }
  }
}

const POLYGLOTS: [string, () => Buffer, string][] = [
  [
    'png + html',
    () => Buffer.concat([forgedPng(8, 8, 8), Buffer.from('<html><script>alert(1)</script></html>')]),
    'image/png',
  ],
  [
    'gif header + javascript',
    () => Buffer.from('GIF89a=1;alert(document.cookie)//\x00\x00\x00'),
    'image/gif',
  ],
  [
    'svg with script as png',
    () =>
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
      ),
    'image/png',
  ],
  [
    'svg with external image',
    () =>
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><image href="http://169.254.169.254/latest/meta-data"/><text>&x;</text></svg>',
      ),
    'image/svg+xml',
  ],
  ['html as image', () => Buffer.from('<!doctype html><img src=x onerror=alert(1)>'), 'image/png'],
  ['pdf', () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), 'image/png'],
  ['zip', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60)]), 'image/png'],
  [
    'jpeg magic only',
    () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]),
    'image/jpeg',
  ],
  ['empty', () => Buffer.alloc(0), 'image/png'],
  ['one byte', () => Buffer.from([0x89]), 'image/png'],
  ['pixel bomb 30000x30000', () => forgedPng(30_000, 30_000, 1), 'image/png'],
  ['pixel bomb 100000x100000 rgba', () => forgedPng(100_000, 100_000, 1, 6), 'image/png'],
  ['tall strip 1x20000000', () => forgedPng(1, 20_000_000, 1), 'image/png'],
  ['at the pixel limit, 4000x4000 solid', () => forgedPng(4000, 4000, 4000), 'image/png'],
];

const OPTION_ABUSE: unknown[] = [
  { quality: 'ultra' },
  { mode: 'sepia' },
  { colors: 1e309 },
  { params: { colors: -1 } },
  { params: { colors: 1_000_000 } },
  { params: { turdSize: Number.MAX_SAFE_INTEGER, alphaMax: -5 } },
  { params: { colors: '8' } },
  { targetSsim: 2 },
  { targetSsim: 'NaN' },
  { timeBudgetMs: 1e9 },
  { mode: ['color'] },
  { __proto__: { isAdmin: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "mode": "color"}'),
  { constructor: { prototype: { polluted: true } } },
  { params: { colors: 8, unknownKnob: 1 } },
  { mode: 'color', quality: 'best', targetSsim: 0.5 },
  'not an object',
  [1, 2, 3],
  null,
  { mode: 'auto', params: { blur: 1e308 } },
];

const QUERY_ABUSE = [
  '?quality=ultra',
  '?format=png',
  '?format=svg&format=json',
  '?mode=%00',
  '?targetSsim=abc',
  '?targetSsim=1e400',
  `?${'a=1&'.repeat(2000)}`,
  '?__proto__[x]=1',
  '?quality=fast',
  '?format=svg',
  '?mode=mono&quality=fast',
];

function multipartBody(
  parts: { headers: string; body: Buffer | string }[],
  boundary: string,
  close = true,
): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts)
    chunks.push(
      Buffer.from(`--${boundary}\r\n${p.headers}\r\n\r\n`),
      Buffer.from(p.body),
      Buffer.from('\r\n'),
    );
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function deepJson(depth: number): string {
  return '{"image":'.concat('['.repeat(depth), ']'.repeat(depth), '}');
}

const CONVERT = '/api/v1/convert';
/** Header objects typed as what FuzzRequest carries (literal `{}` would not widen). */
const noHeaders = (h: Record<string, string> = {}): Record<string, string> => h;

type Builder = (rng: Random, seeds: SeedImage[]) => Omit<FuzzCase, 'id'>;

const builders: [number, Builder][] = [
  // Mutated real images, in every envelope.
  [
    30,
    (rng, seeds) => {
      const seed = rng.pick(seeds);
      const { bytes, how } = mutate(rng, seed);
      const envelope = rng.int(0, 2);
      const query = rng.chance(0.2) ? rng.pick(QUERY_ABUSE) : rng.chance(0.3) ? '?quality=fast' : '';
      if (envelope === 0) {
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(bytes)], { type: seed.type }), seed.name);
        if (rng.chance(0.3)) form.set('options', JSON.stringify(rng.pick(OPTION_ABUSE)));
        return {
          category: 'image-mutation',
          description: `${seed.name} ${how}, multipart${query}`,
          request: {
            transport: 'http',
            method: 'POST',
            path: CONVERT + query,
            headers: noHeaders(),
            body: form,
          },
        };
      }
      if (envelope === 1) {
        return {
          category: 'image-mutation',
          description: `${seed.name} ${how}, raw ${seed.type}${query}`,
          request: {
            transport: 'http',
            method: 'POST',
            path: CONVERT + query,
            headers: { 'content-type': seed.type },
            body: bytes,
          },
        };
      }
      return {
        category: 'image-mutation',
        description: `${seed.name} ${how}, JSON base64`,
        request: {
          transport: 'http',
          method: 'POST',
          path: CONVERT + query,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(
            JSON.stringify({
              image: bytes.toString('base64'),
              ...(rng.chance(0.3) ? { options: rng.pick(OPTION_ABUSE) } : {}),
            }),
          ),
        },
      };
    },
  ],
  // Unmutated seeds with abusive options and queries (the happy path must stay safe too).
  [
    10,
    (rng, seeds) => {
      const seed = rng.pick(seeds);
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(seed.bytes)], { type: seed.type }), seed.name);
      const options = rng.pick(OPTION_ABUSE);
      if (rng.chance(0.7)) form.set('options', JSON.stringify(options));
      else
        for (const k of ['mode', 'quality', 'targetSsim'])
          if (rng.chance(0.4))
            form.set(k, String(rng.pick(['color', 'best', '0.99', '', 'x'.repeat(1000), '-1'])));
      const query = rng.chance(0.5) ? rng.pick(QUERY_ABUSE) : '';
      return {
        category: 'option-abuse',
        description: `${seed.name} with ${JSON.stringify(options)?.slice(0, 80)}${query.slice(0, 40)}`,
        request: {
          transport: 'http',
          method: 'POST',
          path: CONVERT + query,
          headers: noHeaders(rng.chance(0.3) ? { accept: 'image/svg+xml' } : {}),
          body: form,
        },
      };
    },
  ],
  // Forged files: bombs, polyglots, non-images under image types.
  [
    12,
    (rng) => {
      const [name, make, type] = rng.pick(POLYGLOTS);
      const bytes = make();
      const asRaw = rng.chance(0.5);
      const form = new FormData();
      form.set(
        'file',
        new Blob([new Uint8Array(bytes)], { type }),
        rng.pick(['a.png', 'x.svg', '../../etc/passwd', 'a\r\nX-Injected: 1.png', 'ünï©ødé.png']),
      );
      return {
        category: 'forged-file',
        description: `${name}, ${asRaw ? 'raw' : 'multipart'}`,
        request: asRaw
          ? {
              transport: 'http',
              method: 'POST',
              path: CONVERT,
              headers: { 'content-type': type },
              body: bytes,
            }
          : { transport: 'http', method: 'POST', path: CONVERT, headers: noHeaders(), body: form },
      };
    },
  ],
  // Malformed multipart bodies, written by hand.
  [
    10,
    (rng, seeds) => {
      const seed = rng.pick(seeds);
      const boundary = `----fuzz${rng.int(0, 1e9)}`;
      const fileHeaders = `Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: ${seed.type}`;
      const variants: [string, () => { type: string; body: Buffer }][] = [
        [
          'wrong boundary',
          () => ({
            type: `multipart/form-data; boundary=nope`,
            body: multipartBody([{ headers: fileHeaders, body: seed.bytes }], boundary),
          }),
        ],
        [
          'no boundary',
          () => ({
            type: 'multipart/form-data',
            body: multipartBody([{ headers: fileHeaders, body: seed.bytes }], boundary),
          }),
        ],
        [
          'unterminated',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody([{ headers: fileHeaders, body: seed.bytes }], boundary, false),
          }),
        ],
        [
          'no file field',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [{ headers: 'Content-Disposition: form-data; name="options"', body: '{}' }],
              boundary,
            ),
          }),
        ],
        [
          'file as a plain field',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [{ headers: 'Content-Disposition: form-data; name="file"', body: 'hello' }],
              boundary,
            ),
          }),
        ],
        [
          'two files',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [
                { headers: fileHeaders, body: seed.bytes },
                { headers: fileHeaders, body: rng.bytes(100) },
              ],
              boundary,
            ),
          }),
        ],
        [
          'options not JSON',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [
                { headers: fileHeaders, body: seed.bytes },
                { headers: 'Content-Disposition: form-data; name="options"', body: '{mode:' },
              ],
              boundary,
            ),
          }),
        ],
        [
          'thousands of fields',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [
                ...Array.from({ length: 3000 }, (_, i) => ({
                  headers: `Content-Disposition: form-data; name="f${i}"`,
                  body: 'x',
                })),
                { headers: fileHeaders, body: seed.bytes },
              ],
              boundary,
            ),
          }),
        ],
        [
          'huge part header',
          () => ({
            type: `multipart/form-data; boundary=${boundary}`,
            body: multipartBody(
              [{ headers: `${fileHeaders}\r\nX-Long: ${'a'.repeat(60_000)}`, body: seed.bytes }],
              boundary,
            ),
          }),
        ],
        [
          'garbage',
          () => ({ type: `multipart/form-data; boundary=${boundary}`, body: rng.bytes(rng.int(0, 4000)) }),
        ],
        [
          'boundary of 200 chars',
          () => ({
            type: `multipart/form-data; boundary=${'b'.repeat(200)}`,
            body: multipartBody([{ headers: fileHeaders, body: seed.bytes }], 'b'.repeat(200)),
          }),
        ],
      ];
      const [name, make] = rng.pick(variants);
      const { type, body } = make();
      return {
        category: 'malformed-multipart',
        description: name,
        request: {
          transport: 'http',
          method: 'POST',
          path: CONVERT,
          headers: { 'content-type': type },
          body,
        },
      };
    },
  ],
  // Malformed JSON bodies.
  [
    8,
    (rng, seeds) => {
      const seed = rng.pick(seeds);
      const b64 = seed.bytes.toString('base64');
      const variants: [string, string][] = [
        ['truncated', `{"image":"${b64.slice(0, rng.int(0, b64.length))}`],
        ['image not a string', '{"image":123}'],
        ['image missing', '{"options":{}}'],
        ['not base64', `{"image":"${'%$#@!'.repeat(100)}"}`],
        ['deep nesting', deepJson(rng.pick([100, 10_000, 100_000]))],
        ['data url prefix', `{"image":"data:image/png;base64,${b64}"}`],
        [
          'odd data url',
          `{"image":"data:text/html;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}"}`,
        ],
        ['extra top-level key', `{"image":"${b64}","admin":true}`],
        ['prototype keys', `{"image":"${b64}","__proto__":{"polluted":1},"options":{"__proto__":{"x":1}}}`],
        ['empty', ''],
        ['array', '[]'],
        ['null', 'null'],
        ['huge number', `{"image":"${b64}","options":{"targetSsim":${'9'.repeat(400)}}}`],
        ['BOM', `\ufeff{"image":"${b64}"}`],
        ['base64url', `{"image":"${seed.bytes.toString('base64url')}"}`],
      ];
      const [name, body] = rng.pick(variants);
      return {
        category: 'malformed-json',
        description: name,
        request: {
          transport: 'http',
          method: 'POST',
          path: CONVERT,
          headers: { 'content-type': rng.pick(['application/json', 'application/json; charset=utf-16']) },
          body: Buffer.from(body),
        },
      };
    },
  ],
  // The rest of the API and the auth endpoints: paths, methods, ids, cursors, credentials.
  [
    10,
    (rng) => {
      const weirdId = rng.pick([
        "' OR 1=1 --",
        '../../../etc/passwd',
        '%00',
        'x'.repeat(5000),
        '😀',
        '{"$ne":null}',
        'cmx0000000000000000000000',
        '<script>',
      ]);
      const variants: [string, FuzzRequest][] = [
        [
          'conversion id',
          {
            transport: 'http',
            method: 'GET',
            path: `/api/v1/conversions/${encodeURIComponent(weirdId)}`,
            headers: {},
          },
        ],
        [
          'cursor',
          {
            transport: 'http',
            method: 'GET',
            path: `/api/v1/conversions?cursor=${encodeURIComponent(weirdId)}&limit=${rng.pick(['0', '-1', '1e9', 'abc', '100'])}`,
            headers: { cookie: `svgai_history=${'a'.repeat(43)}` },
          },
        ],
        [
          'method',
          {
            transport: 'http',
            method: rng.pick(['GET', 'PUT', 'PATCH', 'DELETE']),
            path: rng.pick([CONVERT, '/api/v1/conversions', '/api/openapi.json']),
            headers: {},
          },
        ],
        [
          'unknown path',
          {
            transport: 'http',
            method: rng.pick(['GET', 'POST']),
            path: rng.pick([
              '/api/v1/admin',
              '/api/v1/../../etc/passwd',
              '/api/%2e%2e/%2e%2e',
              '/api/v9',
              `/api/${weirdId}`,
            ]),
            headers: {},
          },
        ],
        [
          'bad authorization',
          {
            transport: 'http',
            method: 'POST',
            path: CONVERT,
            headers: {
              authorization: rng.pick([
                'Bearer',
                'Bearer ' + 'k'.repeat(5000),
                'Basic YTpi',
                'Bearer svgai_' + 'A'.repeat(43),
                'Bearer x y',
              ]),
              'content-type': 'image/png',
            },
            body: Buffer.from('x'),
          },
        ],
        [
          'bad request id',
          {
            transport: 'http',
            method: 'GET',
            path: '/api/openapi.json',
            headers: { 'x-request-id': rng.pick(['<script>', 'a'.repeat(500), '../../', 'id with spaces']) },
          },
        ],
        [
          'sign-in garbage',
          {
            transport: 'http',
            method: 'POST',
            path: '/api/auth/callback/credentials',
            headers: { 'content-type': rng.pick(['application/x-www-form-urlencoded', 'application/json']) },
            body: Buffer.from(
              rng.pick([
                'email=a&password=b',
                '{"email":{"$ne":""}}',
                '{',
                'csrfToken=x&email=' + 'a'.repeat(10_000),
                `callbackUrl=${encodeURIComponent('http://evil.example\n[error] forged')}`,
              ]),
            ),
          },
        ],
        [
          'auth callback url',
          {
            transport: 'http',
            method: 'GET',
            path: `/api/auth/signin?callbackUrl=${encodeURIComponent(rng.pick(['//evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: x=1', 'http://evil.example']))}`,
            headers: {},
          },
        ],
        [
          'auth unknown action',
          {
            transport: 'http',
            method: rng.pick(['GET', 'POST']),
            path: `/api/auth/${rng.pick(['nope', 'callback/nope', 'signin/../../x', 'session/x/y'])}`,
            headers: {},
          },
        ],
        [
          'history svg',
          {
            transport: 'http',
            method: 'GET',
            path: `/history/${encodeURIComponent(weirdId)}/svg`,
            headers: {},
          },
        ],
        [
          'ops',
          {
            transport: 'http',
            method: 'GET',
            path: rng.pick(['/ops/snapshot', '/api/metrics', '/api/health', '/api/health/ready']),
            headers: { 'x-forwarded-for': '203.0.113.1', authorization: 'Bearer wrong-token-0123456789' },
          },
        ],
      ];
      const [name, request] = rng.pick(variants);
      return {
        category: 'api-surface',
        description: `${name}: ${request.transport === 'http' ? `${request.method} ${request.path.slice(0, 80)}` : ''}`,
        request,
      };
    },
  ],
  // Protocol abuse on a raw socket: lying lengths, broken chunking, oversized headers, garbage.
  [
    6,
    (rng, seeds) => {
      const seed = rng.pick(seeds);
      const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
      const variants: [string, () => Buffer, boolean][] = [
        // The client stops short and closes: Node's parser answers 400 itself before the app sees a body.
        [
          'content-length larger than the body',
          () =>
            Buffer.concat([
              head([
                `POST ${CONVERT} HTTP/1.1`,
                'Host: fuzz',
                `Content-Type: ${seed.type}`,
                `Content-Length: ${seed.bytes.length + 5000}`,
                'Connection: close',
              ]),
              seed.bytes,
            ]),
          true,
        ],
        [
          'content-length smaller than the body',
          () =>
            Buffer.concat([
              head([
                `POST ${CONVERT} HTTP/1.1`,
                'Host: fuzz',
                `Content-Type: ${seed.type}`,
                `Content-Length: ${Math.floor(seed.bytes.length / 2)}`,
                'Connection: close',
              ]),
              seed.bytes,
            ]),
          true,
        ],
        [
          'content-length over the limit',
          () =>
            head([
              `POST ${CONVERT} HTTP/1.1`,
              'Host: fuzz',
              'Content-Type: image/png',
              'Content-Length: 99999999999',
              'Connection: close',
            ]),
          true,
        ],
        [
          'broken chunked encoding',
          () =>
            Buffer.concat([
              head([
                `POST ${CONVERT} HTTP/1.1`,
                'Host: fuzz',
                'Content-Type: image/png',
                'Transfer-Encoding: chunked',
                'Connection: close',
              ]),
              Buffer.from('zz\r\nabc\r\n0\r\n\r\n'),
            ]),
          true,
        ],
        [
          'both length and chunked',
          () =>
            Buffer.concat([
              head([
                `POST ${CONVERT} HTTP/1.1`,
                'Host: fuzz',
                'Content-Type: image/png',
                'Content-Length: 4',
                'Transfer-Encoding: chunked',
                'Connection: close',
              ]),
              Buffer.from('5\r\nhello\r\n0\r\n\r\n'),
            ]),
          true,
        ],
        [
          'oversized header',
          () =>
            head([
              `GET /api/openapi.json HTTP/1.1`,
              'Host: fuzz',
              `X-Big: ${'a'.repeat(100_000)}`,
              'Connection: close',
            ]),
          true,
        ],
        [
          'garbage request line',
          () => Buffer.concat([rng.bytes(rng.int(1, 200)), Buffer.from('\r\n\r\n')]),
          true,
        ],
        ['HTTP/1.0 without host', () => head([`GET /api/health/live HTTP/1.0`]), true],
        [
          'header with NUL',
          () =>
            head([`GET /api/openapi.json HTTP/1.1`, 'Host: fuzz', 'X-Bad: a\u0000b', 'Connection: close']),
          true,
        ],
        [
          'absolute-form URL',
          () =>
            head([
              `GET http://evil.example/api/health/live HTTP/1.1`,
              'Host: evil.example',
              'Connection: close',
            ]),
          true,
        ],
      ];
      const [name, make, parserMayAnswer] = rng.pick(variants);
      return {
        category: 'protocol',
        description: name,
        request: { transport: 'socket', bytes: make(), parserMayAnswer },
      };
    },
  ],
];

const TOTAL_WEIGHT = builders.reduce((s, [w]) => s + w, 0);

/** Case `id` of the run seeded with `seed`: each case has its own stream, so one can be replayed alone. */
export function generateCase(seed: number, id: number, seeds: SeedImage[]): FuzzCase {
  const rng = createRandom((seed * 0x9e3779b1 + id * 0x85ebca6b) >>> 0);
  let roll = rng.next() * TOTAL_WEIGHT;
  for (const [weight, build] of builders) {
    roll -= weight;
    if (roll < 0) return { id, ...build(rng, seeds) };
  }
  return { id, ...builders[0][1](rng, seeds) };
}
