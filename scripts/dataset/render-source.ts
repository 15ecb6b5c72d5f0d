/** Renders a source SVG to a square raster on white or on transparency, as both PNG bytes and RGBA. */
import sharp from 'sharp';
import { renderSvg } from '@/lib/quality/render-svg';
import type { RgbaImage } from '@/lib/quality/types';
import { datasetFontFiles } from './fonts';
import type { IconSource } from './sources';

export type RenderSourceOptions = { size: number; background: 'white' | 'transparent' };

/** Flattens straight RGBA over white in place; rounding matches what an encoder would store. */
function flattenOverWhite(img: RgbaImage): void {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3];
    if (a === 255) continue;
    const ia = 255 - a;
    d[i] = Math.round((d[i] * a + 255 * ia) / 255);
    d[i + 1] = Math.round((d[i + 1] * a + 255 * ia) / 255);
    d[i + 2] = Math.round((d[i + 2] * a + 255 * ia) / 255);
    d[i + 3] = 255;
  }
}

/** Encodes straight RGBA as a lossless PNG (no colour management, so pixels round-trip exactly). */
export async function encodePng(img: RgbaImage): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export async function renderSource(
  source: Pick<IconSource, 'svg'>,
  { size, background }: RenderSourceOptions,
): Promise<{ png: Buffer; rgba: RgbaImage }> {
  const fontFiles = /<text[\s>]/.test(source.svg) ? datasetFontFiles() : [];
  const rgba = renderSvg(source.svg, size, size, { fontFiles });
  if (background === 'white') flattenOverWhite(rgba);
  return { png: await encodePng(rgba), rgba };
}
