// The web process's conversion: one result cache in front of the worker pool, keyed by input, request and models.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mlp } from '@/scripts/train/mlp-model';
import { resetModels } from '@/lib/ai/onnx/model-session';
import { writeOnnx } from '@/scripts/train/onnx/write-onnx';
import { CLASSIFIER_INPUTS, CLASSIFIER_OUTPUTS } from '@/lib/ai/param-encoding';
import { parseConversionRequest as request } from '@/lib/ai/request';
import type { RoutedResult } from '@/lib/ai/types';
import { MemoryCache } from '@/lib/cache';
import { getConfig, resetConfig } from '@/lib/config';
import { createRandom } from '@/scripts/dataset/random';
import { ConvertPool } from '@/lib/worker-pool';
import { ensureWorkerBundle, fixture } from '@/test/support/api';
import { tempModelDir } from '@/test/fixtures/model-dir';
import { convertWithCache } from './index';

process.env.LOG_LEVEL = 'silent';

const modelFile = tempModelDir('svgai-cache-models-');
let pool: ConvertPool;
let cache: MemoryCache<RoutedResult>;
let png: Buffer;
const services = { pool: () => pool, cache: () => cache };

beforeAll(async () => {
  ensureWorkerBundle();
  pool = new ConvertPool({ workers: 1, queueSize: 4 });
  png = fixture('logo-256.png');
});
afterAll(async () => {
  await pool.close();
});

describe('convertWithCache', () => {
  it('converts on the pool once, then answers a repeated request from the cache', async () => {
    cache = new MemoryCache({ ttlSeconds: 0, maxEntries: 10 });
    const before = pool.stats().completed;
    const first = await convertWithCache(
      png,
      request({ quality: 'fast', params: { speckle: 3 } }),
      undefined,
      services,
    );
    const again = await convertWithCache(
      png,
      request({ quality: 'fast', params: { speckle: 3 } }),
      undefined,
      services,
    );
    expect(first.result.cached).toBe(false);
    expect(again.result.cached).toBe(true);
    expect(again.result.svg).toBe(first.result.svg);
    expect(again.result.inferenceMs).toBeUndefined();
    expect(pool.stats().completed - before).toBe(1);
    // the input's hash travels with the result, for the history
    expect(first.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.inputHash).toBe(first.inputHash);
    // another request for the same image is another entry
    const other = await convertWithCache(
      png,
      request({ quality: 'fast', params: { speckle: 4 } }),
      undefined,
      services,
    );
    expect(other.result.cached).toBe(false);
  });

  it('does not serve a result its models did not choose once a retrained model replaces them', async () => {
    cache = new MemoryCache({ ttlSeconds: 0, maxEntries: 10 });
    const req = request({ quality: 'fast', params: { speckle: 5 } });
    expect((await convertWithCache(png, req, undefined, services)).result.cached).toBe(false);
    expect((await convertWithCache(png, req, undefined, services)).result.cached).toBe(true);
    // another classifier (a random one of the same shape) beside the same optimizer
    const rnd = createRandom(3);
    const retrained: Mlp = {
      mean: new Float32Array(CLASSIFIER_INPUTS),
      std: new Float32Array(CLASSIFIER_INPUTS).fill(1),
      layers: [
        {
          inputs: CLASSIFIER_INPUTS,
          outputs: CLASSIFIER_OUTPUTS,
          weights: Float32Array.from({ length: CLASSIFIER_INPUTS * CLASSIFIER_OUTPUTS }, () => rnd() - 0.5),
          bias: new Float32Array(CLASSIFIER_OUTPUTS),
        },
      ],
      head: 'softmax',
    };
    await writeFile(modelFile('classifier.onnx'), writeOnnx(retrained));
    await copyFile(
      path.join(getConfig().models.dir, getConfig().modelFiles.params),
      modelFile('optimizer.onnx'),
    );
    const env = { MODELS_DIR: process.env.MODELS_DIR, PARAMS_MODEL: process.env.PARAMS_MODEL };
    process.env.MODELS_DIR = path.dirname(modelFile('x'));
    process.env.PARAMS_MODEL = 'optimizer.onnx';
    try {
      resetConfig();
      resetModels();
      expect((await convertWithCache(png, req, undefined, services)).result.cached).toBe(false);
      expect((await convertWithCache(png, req, undefined, services)).result.cached).toBe(true);
    } finally {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetConfig();
      resetModels();
    }
  });

  it('shares one cache between every worker thread (a hit needs no worker)', async () => {
    cache = new MemoryCache({ ttlSeconds: 0, maxEntries: 10 });
    const two = new ConvertPool({ workers: 2, queueSize: 4 });
    try {
      const req = request({ quality: 'fast', params: { speckle: 2 } });
      const shared = { pool: () => two, cache: () => cache };
      const first = await convertWithCache(png, req, undefined, shared);
      const hits = await Promise.all([1, 2, 3, 4].map(() => convertWithCache(png, req, undefined, shared)));
      expect(first.result.cached).toBe(false);
      expect(hits.every((h) => h.result.cached && h.result.svg === first.result.svg)).toBe(true);
      expect(two.stats().completed).toBe(1);
    } finally {
      await two.close();
    }
  });

  it('keeps the bytes it was given: the hash is of the input, not of a copy the pool transferred', async () => {
    cache = new MemoryCache({ ttlSeconds: 0, maxEntries: 10 });
    const bytes = await readFile(path.resolve('test/fixtures/api/logo-256.png'));
    const { inputHash } = await convertWithCache(bytes, request({ quality: 'fast' }), undefined, services);
    const { createHash } = await import('node:crypto');
    expect(inputHash).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.length).toBeGreaterThan(0);
  });
});
