import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  evaluateTargets,
  groupStats,
  quantile,
  renderReport,
  summarize,
  type ImageRecord,
} from './summarize';

function record(tool: string, category: string, ssim: number, extra: Partial<ImageRecord> = {}): ImageRecord {
  return {
    tool,
    imageId: `${category}-${ssim}`,
    sourceId: 's',
    set: 'set',
    category,
    background: 'white',
    ok: true,
    ms: 10,
    ssim,
    ssimLuma: ssim,
    psnr: 30,
    bytes: 1000,
    paths: 2,
    unsafe: [],
    rasters: 0,
    ...extra,
  };
}

describe('quantile', () => {
  it('uses nearest rank', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(quantile(xs, 0.1)).toBe(1);
    expect(quantile(xs, 0.5)).toBe(5);
    expect(quantile(xs, 1)).toBe(10);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('summarize', () => {
  it('averages successful images and counts failures, unsafe outputs and rasters apart', () => {
    const s = summarize([
      record('a', 'simple', 0.9, { bytes: 100, psnr: Infinity }),
      record('a', 'simple', 0.8, {
        bytes: 300,
        unsafe: ['script element'],
        meta: { targetMet: true, tier: 2 },
      }),
      record('a', 'simple', 0, { ok: false, error: 'boom', ms: 50 }),
      record('a', 'simple', 0.7, { rasters: 1, meta: { targetMet: false, tier: 3 } }),
    ]);
    expect(s.n).toBe(4);
    expect(s.failures).toBe(1);
    expect(s.ssimMean).toBeCloseTo(0.8, 12);
    expect(s.ssimMedian).toBe(0.8);
    expect(s.bytesMean).toBeCloseTo((100 + 300 + 1000) / 3, 9);
    expect(s.psnrMean).toBeCloseTo((100 + 30 + 30) / 3, 9); // Infinity capped at 100
    expect(s.msMean).toBeCloseTo((10 + 10 + 50 + 10) / 4, 9);
    expect([s.unsafe, s.rasters]).toEqual([1, 1]);
    expect(s.meta).toEqual({ targetMet: 0.5, tier: 2.5 });
  });
});

describe('evaluateTargets and renderReport', () => {
  const records = [
    record('ours', 'simple', 0.99, { bytes: 500 }),
    record('vtracer', 'simple', 0.97, { bytes: 900 }),
    record('ours', 'text', 0.95, { bytes: 2000 }),
    record('vtracer', 'text', 0.96, { bytes: 1000 }),
  ];
  const groups = groupStats(records, ['ours', 'vtracer'], ['simple', 'text']);

  it('compares ours with vtracer per category and overall', () => {
    const checks = evaluateTargets(groups, ['simple', 'text'], null);
    const byName = Object.fromEntries(checks.map((c) => [c.target, c.ok]));
    expect(byName['RGB-SSIM >= vtracer (simple)']).toBe(true);
    expect(byName['RGB-SSIM >= vtracer (text)']).toBe(false);
    expect(byName['SVG bytes <= vtracer (simple)']).toBe(true);
    expect(byName['SVG bytes <= vtracer (text)']).toBe(false);
    expect(byName['CLI batch ms/image <= imagetracerjs batch']).toBeNull();
    expect(byName['zero failures']).toBe(true);
  });

  it('renders every tool and category into the report', () => {
    const md = renderReport({
      date: '2026-01-01 00:00 UTC',
      machine: 'test machine',
      command: 'npm run bench',
      size: 256,
      seed: 1,
      perCategory: 1,
      imageCount: 2,
      sourceCount: 10,
      categories: ['simple', 'text'],
      backgrounds: ['white'],
      tools: [
        { name: 'ours', description: 'engine' },
        { name: 'vtracer', description: 'peer' },
      ],
      groups,
      speed: null,
      totalSeconds: 1,
      licenses: { set: 'MIT' },
    });
    expect(md).toContain('## simple');
    expect(md).toContain('## text');
    expect(md).toMatch(/\| ours \| 2 \| 0\.9700 /);
    expect(md).toContain('| RGB-SSIM >= vtracer (text) | **no** | 0.9500 vs 0.9600 |');
    expect(md).not.toContain('## Tool-reported metrics');
  });

  it('tabulates tool-reported metrics per category', () => {
    const withMeta = [
      record('ai', 'simple', 0.99, { meta: { targetMet: true } }),
      record('ai', 'simple', 0.98, { meta: { targetMet: false } }),
      record('ai', 'text', 0.97, { meta: { targetMet: true } }),
    ];
    const md = renderReport({
      date: 'd',
      machine: 'm',
      command: 'c',
      size: 256,
      seed: 1,
      perCategory: 1,
      imageCount: 3,
      sourceCount: 3,
      categories: ['simple', 'text'],
      backgrounds: ['white'],
      tools: [{ name: 'ai', description: 'router' }],
      groups: groupStats(withMeta, ['ai'], ['simple', 'text']),
      speed: null,
      totalSeconds: 1,
      licenses: {},
    });
    expect(md).toContain('| ai | targetMet | 0.500 | 1.000 | 0.667 |');
  });
});

describe('compareRuns', () => {
  it('shows the change per tool and category against an earlier run', () => {
    const before = groupStats([record('ours', 'simple', 0.95, { bytes: 1200 })], ['ours'], ['simple']);
    const after = groupStats([record('ours', 'simple', 0.97, { bytes: 1000 })], ['ours'], ['simple']);
    const table = compareRuns(before, after);
    expect(table).toContain('| ours | simple | 0.9700 | +0.0200 | 1,000 | -200 | +0.0 |');
    expect(compareRuns([], after)).toBe('');
  });
});

describe('the degraded category', () => {
  it('stays out of the overall figures and must beat vtracer by 0.02', () => {
    const records = [
      record('ours', 'simple', 0.99, { gmsd: 0.02 }),
      record('vtracer', 'simple', 0.95, { gmsd: 0.05 }),
      record('ours', 'degraded', 0.93, { gmsd: 0.1 }),
      record('vtracer', 'degraded', 0.92, { gmsd: 0.12 }),
    ];
    const groups = groupStats(records, ['ours', 'vtracer'], ['simple', 'degraded']);
    const all = groups.find((g) => g.tool === 'ours' && g.category === 'all' && g.background === 'all')!;
    expect(all.stats.n).toBe(1);
    expect(all.stats.ssimMean).toBe(0.99);
    expect(all.stats.gmsdMean).toBe(0.02);
    const checks = evaluateTargets(groups, ['simple', 'degraded'], null);
    expect(checks.find((c) => c.target === 'RGB-SSIM >= vtracer + 0.02 (degraded)')?.ok).toBe(false);
    expect(checks.find((c) => c.target === 'RGB-SSIM >= vtracer (simple)')?.ok).toBe(true);
  });
});
