import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempModelDir } from '@/test/fixtures/model-dir';
import { forwardMlp, type Mlp } from '../mlp-model';
import { getModelStatus, loadModel, ModelLoadError } from '@/lib/ai/onnx/model-session';
import { writeOnnx } from './write-onnx';

function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomMlp(sizes: number[], head: Mlp['head'], seed = 7): Mlp {
  const rnd = seeded(seed);
  const layers = sizes.slice(1).map((outputs, i) => ({
    inputs: sizes[i],
    outputs,
    weights: Float32Array.from({ length: sizes[i] * outputs }, rnd),
    bias: Float32Array.from({ length: outputs }, rnd),
  }));
  const n = sizes[0];
  const out = sizes[sizes.length - 1];
  return {
    mean: Float32Array.from({ length: n }, rnd),
    std: Float32Array.from({ length: n }, () => 0.5 + Math.abs(rnd())),
    layers,
    head,
    ...(head === 'linear'
      ? {
          outScale: Float32Array.from({ length: out }, () => 2 + rnd()),
          outOffset: Float32Array.from({ length: out }, rnd),
        }
      : {}),
  };
}

const modelFile = tempModelDir('svgai-onnx-');

describe('writeOnnx round trip through onnxruntime', () => {
  for (const head of ['softmax', 'linear'] as const) {
    it(`gives the TypeScript forward pass's outputs (${head} head)`, async () => {
      const mlp = randomMlp([12, 16, 8, 4], head);
      const file = modelFile(`${head}.onnx`);
      await writeFile(file, writeOnnx(mlp, { classes: 'a,b,c,d' }));
      const model = await loadModel(`rt-${head}`, file, 12, 4);
      const rnd = seeded(99);
      const rows = Array.from({ length: 5 }, () => Float32Array.from({ length: 12 }, () => rnd() * 4));
      const outs = await model.run(rows);
      rows.forEach((r, i) => {
        const expected = forwardMlp(mlp, r);
        for (let k = 0; k < 4; k++) expect(outs[i][k]).toBeCloseTo(expected[k], 4);
      });
      if (head === 'softmax') expect(outs[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  }

  it('loads a model once and reuses it', async () => {
    const file = modelFile('softmax.onnx');
    const a = await loadModel('rt-softmax', file, 12, 4);
    const b = await loadModel('rt-softmax', file, 12, 4);
    expect(a).toBe(b);
  });

  it('names each model by the digest of its bytes, and the status reports it', async () => {
    const softmax = await loadModel('rt-softmax', modelFile('softmax.onnx'), 12, 4);
    const linear = await loadModel('rt-linear', modelFile('linear.onnx'), 12, 4);
    const bytes = await readFile(modelFile('softmax.onnx'));
    expect(softmax.digest).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16));
    expect(linear.digest).not.toBe(softmax.digest);
    expect(getModelStatus(['rt-softmax']).models['rt-softmax']).toMatchObject({
      loaded: true,
      digest: softmax.digest,
    });
  });
});

describe('model load failures', () => {
  it('names a missing file and leaves the status red', async () => {
    const file = modelFile('missing.onnx');
    await expect(loadModel('missing', file, 12, 4)).rejects.toThrow(ModelLoadError);
    await expect(loadModel('missing', file, 12, 4)).rejects.toThrow(/missing\.onnx.*not found/);
    const status = getModelStatus(['missing']);
    expect(status.loaded).toBe(false);
    expect(status.error).toMatch(/missing\.onnx/);
  });

  it('names a corrupt file', async () => {
    const file = modelFile('corrupt.onnx');
    await writeFile(file, Buffer.from('this is not a protobuf model at all'));
    const err = await loadModel('corrupt', file, 12, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).file).toBe(file);
    expect(getModelStatus(['corrupt']).loaded).toBe(false);
  });

  it('rejects a valid model of the wrong width', async () => {
    const file = modelFile('narrow.onnx');
    await writeFile(file, writeOnnx(randomMlp([3, 4, 2], 'softmax')));
    await expect(loadModel('narrow', file, 12, 4)).rejects.toThrow(/does not fit/);
  });
});
