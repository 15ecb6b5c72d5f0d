import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getConfig } from '@/lib/config';
import { renderPng } from '@/test/fixtures/images';
import { CLASS_DEFAULTS } from './class-defaults';
import { parseConversionRequest as request } from './request';
import { floorPrecision, RouteCancelledError, routeConversion } from './router';
import { expectedMs, MISS_SSIM_SLACK, settleMiss, type Attempt } from './search';
import { plausibleTarget } from './targets';

const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/ai');
let fixtures: { file: string; label: string }[];
let simplePng: Buffer;
let complexPng: Buffer;

beforeAll(async () => {
  fixtures = JSON.parse(await readFile(path.join(FIXTURES, 'manifest.json'), 'utf8')).fixtures;
  simplePng = await readFile(path.join(FIXTURES, fixtures.find((f) => f.label === 'simple')!.file));
  complexPng = await readFile(path.join(FIXTURES, fixtures.find((f) => f.label === 'complex')!.file));
});

describe('routeConversion', () => {
  it('tier 1 (fast) uses class defaults and reports type, confidence and the class target', async () => {
    const r = await routeConversion(simplePng, request({ quality: 'fast' }));
    expect(r.tier).toBe(1);
    expect(r.iterations).toBe(1);
    expect(['simple', 'text', 'gradient', 'complex']).toContain(r.type);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.target).toBe(getConfig().qualityTargets[r.type]);
    expect(r.svg).toMatch(/^<svg/);
    expect(r.targetMet).toBe(r.quality!.ssim >= r.target);
  });

  it('tier 2 (balanced, the default) uses predicted parameters', async () => {
    const r = await routeConversion(simplePng, request({}));
    const fast = await routeConversion(simplePng, request({ quality: 'fast' }));
    expect(r.tier).toBe(2);
    expect(r.iterations).toBe(1);
    // the predictor ran (its time is reported) and its parameters trace as faithfully as the class defaults
    expect(r.inferenceMs?.optimizer).toBeGreaterThan(0);
    expect(fast.inferenceMs?.optimizer).toBeUndefined();
    expect(r.quality!.ssim).toBeGreaterThan(0.96);
    expect(r.quality!.ssim).toBeGreaterThan(fast.quality!.ssim - 0.005);
  });

  it('tier 2 never keeps fewer decimals than the class defaults', () => {
    const whole = { ...CLASS_DEFAULTS.text, precision: 0 };
    expect(floorPrecision(whole, 'text').precision).toBe(CLASS_DEFAULTS.text.precision);
    expect(floorPrecision({ ...whole, precision: 2 }, 'text').precision).toBe(2);
    expect(floorPrecision(whole, 'text').colors).toBe(whole.colors);
  });

  it('tier 2 converts once; tier 3 meets the target wherever tier 1 does (it also tries the class defaults)', async () => {
    for (const f of fixtures.filter((x) => x.label === 'text' || x.label === 'simple').slice(0, 6)) {
      const png = await readFile(path.join(FIXTURES, f.file));
      const fast = await routeConversion(png, request({ quality: 'fast' }));
      const balanced = await routeConversion(png, request({ quality: 'balanced' }));
      const best = await routeConversion(png, request({ quality: 'best' }));
      expect(balanced.type).toBe(fast.type);
      expect(balanced.iterations).toBe(1);
      if (fast.targetMet) expect(best.targetMet, f.file).toBe(true);
      expect(best.quality!.ssim).toBeGreaterThanOrEqual(fast.quality!.ssim - 1e-9);
    }
  });

  it('tier 3 aims for the strictest target among the classes the classifier finds plausible', () => {
    const t = getConfig().qualityTargets;
    expect(plausibleTarget({ simple: 0.05, text: 0.05, gradient: 0.05, complex: 0.85 })).toBe(t.complex);
    expect(plausibleTarget({ simple: 0.05, text: 0.3, gradient: 0.05, complex: 0.6 })).toBe(
      Math.max(t.text, t.complex),
    );
    // a plausible class with a looser target never lowers it
    expect(plausibleTarget({ simple: 0.5, text: 0.1, gradient: 0.3, complex: 0.1 })).toBe(
      Math.max(t.simple, t.gradient),
    );
  });

  it('tier 3 on a miss keeps the smallest step whose SSIM is within the slack of the best', () => {
    const step = (ssim: number, bytes: number): Attempt => ({
      mode: 'color',
      params: {} as Attempt['params'],
      svg: 'x'.repeat(bytes),
      paths: 1,
      quality: { ssim, gmsd: 0 } as Attempt['quality'],
      ms: 1,
    });
    const small = step(0.98 - MISS_SSIM_SLACK / 2, 100);
    const best = step(0.98, 900);
    const tiny = step(0.98 - MISS_SSIM_SLACK * 2, 10);
    expect(settleMiss([tiny, small, best])).toBe(small);
    expect(settleMiss([tiny, best])).toBe(best);
  });

  it('tier 3 expects a finer sub-pixel grid to cost more before it starts one', () => {
    const last = { params: { subpixel: 1 }, ms: 50 } as Attempt;
    expect(expectedMs(last, { cornerThreshold: 0.5 })).toBe(50);
    expect(expectedMs(last, { subpixel: 2 })).toBeCloseTo(50 * 2 ** 1.5);
    expect(expectedMs(last, { subpixel: 4 })).toBe(400);
    expect(expectedMs({ ...last, params: { subpixel: 4 } } as Attempt, { subpixel: 2 })).toBe(50);
  });

  it('tier 3 stops at once when the first attempt meets an easy target', async () => {
    const r = await routeConversion(complexPng, request({ targetSsim: 0.5 }));
    expect(r.tier).toBe(3);
    expect(r.iterations).toBe(1);
    expect(r.targetMet).toBe(true);
    expect(r.reason).toBe('target met');
  });

  it('tier 3 reports why when an unreachable target is not met', async () => {
    const r = await routeConversion(complexPng, request({ targetSsim: 1, timeBudgetMs: 400 }));
    expect(r.targetMet).toBe(false);
    expect(r.reason).toMatch(/time budget ran out|no parameter change/);
    expect(r.iterations).toBeGreaterThanOrEqual(1);
    // the budget bounds the search: it may finish the attempt in progress, never start one it cannot finish
    expect(r.durationMs).toBeLessThan(400 + 2000);
  });

  it('tier 3 reaches for sub-pixel edges on anti-aliased lettering; tiers 1 and 2 stay on the pixel grid', async () => {
    const png = await renderPng(
      '<rect width="100%" height="100%" fill="#fff"/><text x="6" y="40" font-family="DejaVu Sans" font-size="27" fill="#1a1a1a">Ag7</text>',
      96,
      64,
    );
    const fast = await routeConversion(png, request({ quality: 'fast' }));
    const balanced = await routeConversion(png, request({ quality: 'balanced' }));
    expect(fast.params.subpixel).toBe(1);
    expect(balanced.params.subpixel).toBe(1);
    const best = await routeConversion(png, request({ targetSsim: 0.999, timeBudgetMs: 20_000 }));
    expect(best.params.subpixel).toBeGreaterThan(1);
    expect(best.quality!.ssim).toBeGreaterThan(fast.quality!.ssim);
  });

  it('honours a forced mode and explicit parameters, even while searching', async () => {
    const r = await routeConversion(
      complexPng,
      request({
        mode: 'color',
        params: { precision: 0, colors: 6 },
        quality: 'best',
      }),
    );
    expect(r.mode).toBe('color');
    expect(r.params.precision).toBe(0);
    expect(r.params.colors).toBe(6);
  });

  it('stops at the next checkpoint once cancelled, before decoding or between search attempts', async () => {
    await expect(
      routeConversion(simplePng, request({ quality: 'best' }), { cancelled: () => true }),
    ).rejects.toThrow(RouteCancelledError);
    // asked on entry (before decoding) and before each attempt: cancelled once the first attempt is done
    let asked = 0;
    const cancelled = () => ++asked > 2;
    await expect(
      routeConversion(complexPng, request({ quality: 'best', targetSsim: 0.9999 }), { cancelled }),
    ).rejects.toThrow(RouteCancelledError);
    expect(asked).toBe(3);
  });

  it('rejects a non-image with the engine error', async () => {
    await expect(routeConversion(Buffer.from('hello, not an image'), request({}))).rejects.toMatchObject({
      name: 'ConversionError',
    });
  });
});
