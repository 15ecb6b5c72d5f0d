// Webhook delivery against a real local HTTP server: signed body, retries with backoff, no retry on a 4xx, and
// the address policy applied at send time too (a loopback target is never connected to unless allowed).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook, signBody } from './webhook';

let server: http.Server;
let url: string;
const hits: { body: string; signature?: string }[] = [];
let answers: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ body, signature: req.headers['x-signature'] as string | undefined });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('deliverWebhook', () => {
  it('refuses a loopback target at send time without connecting to it', async () => {
    hits.length = 0;
    const tries: unknown[] = [];
    const ok = await deliverWebhook(
      url,
      { a: 1 },
      {
        secret: 'a-webhook-secret-for-tests',
        allowPrivate: false,
        onAttempt: (_n, outcome) => tries.push(outcome),
      },
    );
    expect(ok).toBe(false);
    expect(hits).toHaveLength(0);
    expect(tries).toHaveLength(1);
    expect(String((tries[0] as { error: string }).error)).toMatch(/loopback/);
  });

  it('signs the exact body it sends and retries a 5xx until a 2xx', async () => {
    hits.length = 0;
    answers = [503, 500, 200];
    const ok = await deliverWebhook(
      url,
      { id: 'b1', status: 'done' },
      {
        secret: 'a-webhook-secret-for-tests',
        allowPrivate: true,
        baseDelayMs: 20,
      },
    );
    expect(ok).toBe(true);
    expect(hits).toHaveLength(3);
    for (const hit of hits) {
      const mac = createHmac('sha256', 'a-webhook-secret-for-tests').update(hit.body).digest('hex');
      expect(hit.signature).toBe(`sha256=${mac}`);
    }
    expect(signBody(hits[0].body, 'another-secret-0123')).not.toBe(hits[0].signature);
  });

  it('gives up at once on a 4xx other than 408 / 429', async () => {
    hits.length = 0;
    answers = [410];
    const ok = await deliverWebhook(
      url,
      {},
      { secret: 'a-webhook-secret-for-tests', allowPrivate: true, baseDelayMs: 20 },
    );
    expect(ok).toBe(false);
    expect(hits).toHaveLength(1);
  });
});
