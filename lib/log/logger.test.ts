import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { logRequest, resolveRequestId } from './request-log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

describe('JSON logs', () => {
  it('writes one JSON object per line with time, level, message, request id and route', () => {
    const { stream, lines } = capture();
    const log = createLogger({ destination: stream, env: {} });
    const child = log.child({ requestId: 'req-12345678', route: '/api/v1/convert' });
    child.info({ imageType: 'simple', tier: 2 }, 'converted');
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]);
    expect(rec).toMatchObject({
      level: 'info',
      msg: 'converted',
      requestId: 'req-12345678',
      route: '/api/v1/convert',
    });
    expect(rec.imageType).toBe('simple');
    expect(new Date(rec.time).toISOString()).toBe(rec.time);
  });

  it('logs each request once with status, duration and conversion fields; 5xx carry the stack', () => {
    const { stream, lines } = capture();
    const log = createLogger({ destination: stream, env: {} });
    logRequest(
      {
        requestId: 'abcdef012345',
        route: '/api/v1/convert',
        method: 'POST',
        status: 200,
        durationMs: 12.345,
        imageType: 'text',
        tier: 1,
        ssim: 0.97,
      },
      log,
    );
    logRequest(
      {
        requestId: 'abcdef012346',
        route: '/api/v1/convert',
        method: 'POST',
        status: 500,
        durationMs: 3,
        error: new Error('boom'),
      },
      log,
    );
    logRequest(
      {
        requestId: 'abcdef012347',
        route: '/api/v1/convert',
        method: 'POST',
        status: 415,
        durationMs: 1,
        errorKind: 'unsupported_type',
      },
      log,
    );
    const [ok, fail, client] = lines.map((l) => JSON.parse(l));
    expect(ok).toMatchObject({
      level: 'info',
      status: 200,
      durationMs: 12.3,
      imageType: 'text',
      tier: 1,
      ssim: 0.97,
    });
    expect(fail.level).toBe('error');
    expect(fail.err.stack).toContain('boom');
    expect(client).toMatchObject({ level: 'warn', errorKind: 'unsupported_type' });
  });

  it('masks secrets in fields, headers, messages and error stacks', () => {
    const { stream, lines } = capture();
    const env = {
      API_KEYS: 'sk_live_0123456789abcdef,sk_live_fedcba9876543210',
      DATABASE_URL: 'postgresql://app:dbpassw0rd@db:5432/svgai',
      UPSTASH_REDIS_REST_TOKEN: 'upstash-token-xyz-123',
    };
    const log = createLogger({ destination: stream, env });
    log.info(
      {
        apiKey: 'sk_live_0123456789abcdef',
        headers: { authorization: 'Bearer abc.def.ghi', 'x-api-key': 'k-9999999' },
      },
      'auth',
    );
    log.warn('connecting to postgresql://app:dbpassw0rd@db:5432/svgai with token upstash-token-xyz-123');
    log.error({ err: new Error('key sk_live_fedcba9876543210 rejected') }, 'failed');
    const out = lines.join('\n');
    for (const secret of [
      'sk_live_0123456789abcdef',
      'sk_live_fedcba9876543210',
      'dbpassw0rd',
      'upstash-token-xyz-123',
      'abc.def.ghi',
      'k-9999999',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('postgresql://app:********@db:5432/svgai');
    expect(JSON.parse(lines[0]).headers.authorization).toBe('********');
  });

  it('respects the level and writes human-readable lines in pretty format', () => {
    const { stream, lines } = capture();
    const log = createLogger({ destination: stream, level: 'warn', format: 'pretty', env: {} });
    log.info('hidden');
    log.warn({ requestId: 'r-1234567890' }, 'visible');
    expect(lines.join('\n')).not.toContain('hidden');
    expect(lines.join('\n')).toContain('visible');
    expect(() => JSON.parse(lines[0])).toThrow();
  });
});

describe('request ids', () => {
  it('keeps a sane upstream id and replaces anything else', () => {
    expect(resolveRequestId('nginx-req-0123456789')).toBe('nginx-req-0123456789');
    expect(resolveRequestId('bad id\nwith newline')).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveRequestId(null)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('log injection', () => {
  const forged = '/account\n{"level":"error","msg":"admin logged in"}\r\n\u001b[31mred';

  it('keeps a value with newlines in one line, as a field or inside the message, in JSON', () => {
    const { stream, lines } = capture();
    const log = createLogger({ destination: stream, env: {} });
    log.warn({ callbackUrl: forged }, 'refused callback URL');
    log.warn(`refused ${forged}`);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]).callbackUrl).toBe(forged);
    expect(JSON.parse(lines[1]).msg).toBe(
      'refused /account\\n{"level":"error","msg":"admin logged in"}\\r\\n\\u001b[31mred',
    );
  });

  it('escapes control characters of messages in the pretty format too', () => {
    const { stream, lines } = capture();
    const log = createLogger({ destination: stream, env: {}, format: 'pretty' });
    log.warn(`refused ${forged}`);
    expect(lines.filter((l) => l.includes('admin logged in'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('\u001b[31mred');
  });
});
