// A conversion that outlives REQUEST_TIMEOUT_MS is stopped and answered with 503 + Retry-After, not left running.
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWorkerBundle, multipartRequest } from '@/test/support/api';

process.env.REQUEST_TIMEOUT_MS = '1000';
process.env.WORKERS = '1';
process.env.CACHE_TYPE = 'none';
process.env.MAX_UPLOAD_BYTES = String(20 * 1024 * 1024);
process.env.LOG_LEVEL = 'silent';
process.env.DATABASE_URL = 'file:/nonexistent-dir-for-tests/app.db';

const { POST } = await import('./route');
const { getConvertPool } = await import('@/lib/worker-pool');

beforeAll(() => ensureWorkerBundle());
afterAll(async () => {
  await getConvertPool().close();
});

it('stops a conversion past the request timeout with 503 and Retry-After', async () => {
  // 1600 px of fine multicolour texture: far more than a second of tracing.
  const size = 1600;
  const raw = Buffer.alloc(size * size * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  const image = await sharp(raw, { raw: { width: size, height: size, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const started = Date.now();
  const res = await POST(
    multipartRequest(image, {
      fields: {
        options: JSON.stringify({ quality: 'best', mode: 'color', params: { colors: 64, speckle: 0 } }),
      },
    }),
  );
  const elapsed = Date.now() - started;
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect((await res.json()).detail).toMatch(/longer than 1000 ms/);
  // Answered soon after the deadline, not after the conversion would have finished.
  expect(elapsed).toBeLessThan(15_000);
});
