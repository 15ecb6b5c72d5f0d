import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { makeFlatSquare } from '@/scripts/dataset/synthetic-images';
import { getModelStatus, loadAiModels, ModelLoadError } from './models';
import { resetModels } from './onnx/model-session';
import { parseConversionRequest } from './request';
import { routeConversion } from './router';
import sharp from 'sharp';

let dir: string;
const saved = process.env.MODELS_DIR;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'svgai-models-'));
  // classifier.onnx corrupt, optimizer.onnx missing
  await writeFile(path.join(dir, 'classifier.onnx'), Buffer.from('garbage, not protobuf'));
  process.env.MODELS_DIR = dir;
  resetConfig();
  resetModels();
});

afterAll(async () => {
  if (saved === undefined) delete process.env.MODELS_DIR;
  else process.env.MODELS_DIR = saved;
  resetConfig();
  resetModels();
  await rm(dir, { recursive: true, force: true });
});

describe('missing or corrupt model files', () => {
  it('fail loading with a ModelLoadError naming the file', async () => {
    const err = await loadAiModels().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).file).toBe(path.join(dir, 'classifier.onnx'));
    expect((err as Error).message).toMatch(/classifier\.onnx: not a valid ONNX model/);
  });

  it('keep the readiness status red, naming both files', () => {
    const status = getModelStatus();
    expect(status.loaded).toBe(false);
    expect(status.error).toMatch(/classifier\.onnx/);
    expect(status.error).toMatch(/optimizer\.onnx: file not found/);
  });

  it('leave routing to the engine alone, which says so instead of failing the conversion', async () => {
    const img = makeFlatSquare(64);
    const png = await sharp(Buffer.from(img.data), { raw: { width: 64, height: 64, channels: 4 } })
      .png()
      .toBuffer();
    for (const quality of ['fast', 'best'] as const) {
      const r = await routeConversion(png, parseConversionRequest({ quality }));
      expect(r.svg).toMatch(/^<svg/);
      expect(r).toMatchObject({ tier: 1, confidence: 0, iterations: 1, target: 0, cached: false });
      expect(r.reason).toMatch(/models not loaded/);
      expect(r.quality!.ssim).toBeGreaterThan(0.9);
    }
  });
});
