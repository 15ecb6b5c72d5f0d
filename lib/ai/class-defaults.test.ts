import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_DEFAULTS } from './class-defaults';
import { IMAGE_TYPES } from './param-encoding';

describe('tier 1 class defaults', () => {
  it('are the medians of the searched-best parameters that train:optimizer last recorded', async () => {
    const metrics = JSON.parse(
      await readFile(path.join(import.meta.dirname, '../../models/optimizer-metrics.json'), 'utf8'),
    ) as { classMedians: Record<string, unknown> };
    for (const t of IMAGE_TYPES) expect(CLASS_DEFAULTS[t], t).toEqual(metrics.classMedians[t]);
  });
});
