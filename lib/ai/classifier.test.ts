import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '@/lib/vectorize/decode-image';
import { classifyImage } from './models';

const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/ai');

describe('image-type classifier on held-out test-split images', () => {
  it('labels the fixtures about as well as its measured test accuracy', async () => {
    const manifest = JSON.parse(await readFile(path.join(FIXTURES, 'manifest.json'), 'utf8')) as {
      fixtures: { file: string; label: string }[];
    };
    const metrics = JSON.parse(
      await readFile(path.join(import.meta.dirname, '../../models/classifier-metrics.json'), 'utf8'),
    );
    let correct = 0;
    const wrong: string[] = [];
    for (const f of manifest.fixtures) {
      const image = await decodeImage(await readFile(path.join(FIXTURES, f.file)), {
        maxBytes: 1e7,
        maxPixels: 1e7,
      });
      const { type, confidence } = await classifyImage(image);
      expect(confidence).toBeGreaterThan(0.25);
      if (type === f.label) correct++;
      else wrong.push(`${f.file} -> ${type}`);
    }
    const n = manifest.fixtures.length;
    // binomial tolerance: expected errors at the measured accuracy, plus two standard deviations, plus one
    const p = 1 - metrics.test.accuracy;
    const allowed = Math.ceil(n * p + 2 * Math.sqrt(n * p * (1 - p))) + 1;
    expect(n - correct, `misclassified: ${wrong.join(', ')}`).toBeLessThanOrEqual(allowed);
  });
});
