import { describe, expect, it } from 'vitest';
import { renderSvg } from '@/lib/quality';
import type { RgbaImage } from '@/lib/quality/types';
import { renderPng } from '@/test/fixtures/images';
import { convertImage } from './convert-image';

const SIZE = 128;

/** Kotlin-notch-like: a notched square cut into three flat bands that all meet at the notch's tip. */
const BANDS = `<path fill="#f88909" d="M16 16h96L16 112z"/>
<path fill="#b125ea" d="M16 112l48-48 24 24-24 24z"/>
<path fill="#0095d5" d="M64 112l24-24 24 24z"/>`;
const NOTCHED = 'M16 16h96L64 64l48 48H16z';

/** The same outline in one three-stop linear gradient beside a flat disc. */
const GRADIENT = `<defs><linearGradient id="k" x1="112" y1="16" x2="16" y2="112" gradientUnits="userSpaceOnUse">
<stop offset="0" stop-color="#e44857"/><stop offset=".47" stop-color="#c711e1"/><stop offset="1" stop-color="#7f52ff"/>
</linearGradient></defs>
<path fill="url(#k)" d="M16 16h96L64 64l48 48H16z"/><circle cx="92" cy="96" r="12" fill="#1b1f23"/>`;

/** Each fixture's shapes as one silhouette: where no background may show. */
const UNION: Record<string, string> = {
  [BANDS]: `<path d="${NOTCHED}"/>`,
  [GRADIENT]: `<path d="${NOTCHED}"/><circle cx="92" cy="96" r="12"/>`,
};

const svgOf = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">${body}</svg>`;

/**
 * Pixels at `scale` that lie deep inside the union of the source's shapes: every pixel within `margin` is opaque
 * in the silhouette rendered at that scale (the source's own bands conflate at their shared edges, so the
 * silhouette is drawn as one shape). Region boundaries inside the union run through them.
 */
function insideUnion(src: RgbaImage, margin: number): number[] {
  const { width, height, data } = src;
  const out: number[] = [];
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      let inside = true;
      for (let dy = -margin; dy <= margin && inside; dy++)
        for (let dx = -margin; dx <= margin && inside; dx++)
          inside = data[((y + dy) * width + x + dx) * 4 + 3] === 255;
      if (inside) out.push(y * width + x);
    }
  }
  return out;
}

/** Pixels inside the union of `body`'s shapes where `svg`, rendered at scale, lets the background through. */
function seamPixels(svg: string, body: string, background: 'transparent' | 'white', scale: number): number {
  const size = SIZE * scale;
  const src = renderSvg(svgOf(UNION[body]), size, size);
  const out = renderSvg(svg, size, size);
  let bad = 0;
  for (const i of insideUnion(src, scale + 1)) {
    const o = i * 4;
    if (background === 'transparent') {
      if (out.data[o + 3] < 255) bad++;
    } else {
      // the shapes' colours are all far from white; a seam shows the white ground through
      const d = Math.hypot(255 - out.data[o], 255 - out.data[o + 1], 255 - out.data[o + 2]);
      if (d < 60) bad++;
    }
  }
  return bad;
}

async function seams(body: string, background: 'transparent' | 'white', scale: number): Promise<number> {
  const ground = background === 'white' ? `<rect width="${SIZE}" height="${SIZE}" fill="#fff"/>` : '';
  const { svg } = await convertImage(await renderPng(ground + body, SIZE, SIZE), { mode: 'color' });
  return seamPixels(svg, body, background, scale);
}

describe('seam-free layers', () => {
  it('the check sees a seam where there is one: bands half a pixel apart', () => {
    const apart = BANDS.replace('<path fill="#b125ea"', '<path transform="translate(.5 .5)" fill="#b125ea"');
    const ground = `<rect width="${SIZE}" height="${SIZE}" fill="#fff"/>`;
    expect(seamPixels(svgOf(apart), BANDS, 'transparent', 1)).toBeGreaterThan(40);
    expect(seamPixels(svgOf(apart), BANDS, 'transparent', 4)).toBeGreaterThan(100);
    expect(seamPixels(svgOf(ground + apart), BANDS, 'white', 4)).toBeGreaterThan(0);
    // even exactly abutting disjoint bands let some through where both edges are anti-aliased (conflation)
    expect(seamPixels(svgOf(BANDS), BANDS, 'transparent', 4)).toBeGreaterThan(0);
  });

  for (const [name, body] of [
    ['stacked flat bands meeting at a notch', BANDS],
    ['a gradient shape beside a flat one', GRADIENT],
  ] as const) {
    for (const background of ['transparent', 'white'] as const) {
      it(`${name} on ${background}: no background pixel between two regions at 1x or 4x`, async () => {
        expect(await seams(body, background, 1)).toBe(0);
        expect(await seams(body, background, 4)).toBe(0);
      });
    }
  }
});
