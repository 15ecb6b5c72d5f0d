import { describe, expect, it } from 'vitest';
import { fidelityScore, measureQuality, renderSvg } from '@/lib/quality';
import { betterAttempt, settleMiss, type Attempt } from './search';

/** A blue badge with an amber triangle and a red disc inside; `dx` shifts the inner shapes, `lift` lightens all. */
function badge(dx: number, lift: number): string {
  const c = (hex: string) =>
    '#' +
    [1, 3, 5]
      .map((i) => Math.min(255, parseInt(hex.slice(i, i + 2), 16) + lift))
      .map((v) => v.toString(16).padStart(2, '0'))
      .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
    <rect width="128" height="128" fill="#fff"/><rect x="10" y="10" width="108" height="108" rx="16" fill="${c('#2a4d9b')}"/>
    <g transform="translate(${dx} ${dx})"><path d="M30 90 L64 30 L98 90 Z" fill="${c('#e0a020')}"/>
    <circle cx="64" cy="72" r="12" fill="${c('#c03030')}"/></g></svg>`;
}

const SILHOUETTE = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" fill="#fff"/><rect x="10" y="10" width="108" height="108" rx="16" fill="#2a4d9b"/></svg>`;

function attempt(svg: string, reference: ReturnType<typeof renderSvg>): Attempt {
  return {
    mode: 'color',
    params: {} as Attempt['params'],
    svg,
    paths: 3,
    quality: measureQuality(svg, reference),
    ms: 1,
  };
}

describe('tier 3 ranking', () => {
  it('ranks a trace that keeps every region above a flat silhouette whose RGB-SSIM is higher', () => {
    const reference = renderSvg(badge(0, 0), 128, 128);
    // every region kept, but 2 px off and too light: the kind of trace SSIM alone undervalues
    const trace = attempt(badge(2, 32), reference);
    // one flat colour with the exact outline: the inner triangle and disc are gone
    const flat = attempt(SILHOUETTE, reference);
    expect(flat.quality!.ssim).toBeGreaterThan(trace.quality!.ssim);
    expect(flat.quality!.gmsd).toBeGreaterThan(trace.quality!.gmsd + 0.03);
    expect(fidelityScore(trace.quality)).toBeGreaterThan(fidelityScore(flat.quality));
    // neither meets the target: the search ranks them by fidelity, and a miss settles on the trace
    expect(betterAttempt(trace, flat, 0.99)).toBe(true);
    expect(betterAttempt(flat, trace, 0.99)).toBe(false);
    expect(settleMiss([flat, trace])).toBe(trace);
  });

  it('still lets meeting the RGB-SSIM target win first', () => {
    const reference = renderSvg(badge(0, 0), 128, 128);
    const trace = attempt(badge(2, 32), reference);
    const flat = attempt(SILHOUETTE, reference);
    const target = (trace.quality!.ssim + flat.quality!.ssim) / 2;
    expect(betterAttempt(flat, trace, target)).toBe(true);
  });
});
