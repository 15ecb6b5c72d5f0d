import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { animatedGif, pixelBombPng, solidPng } from '@/test/fixtures/images';
import { decodeImage, sniffImageType } from './decode-image';

const limits = { maxBytes: 10 * 1024 * 1024, maxPixels: 25_000_000 };

async function expectKind(buf: Buffer, kind: string, lim = limits) {
  await expect(decodeImage(buf, lim)).rejects.toMatchObject({ name: 'ConversionError', kind });
}

describe('decodeImage', () => {
  it('decodes every accepted format to straight RGBA and sniffs the type from bytes', async () => {
    const png = await solidPng(8, 6, '#ff8000');
    const encoders: [string, (s: Sharp) => Sharp][] = [
      ['png', (s) => s.png()],
      ['jpeg', (s) => s.jpeg()],
      ['webp', (s) => s.webp({ lossless: true })],
      ['gif', (s) => s.gif()],
      ['tiff', (s) => s.tiff()],
      ['avif', (s) => s.avif({ lossless: true })],
    ];
    for (const [type, encode] of encoders) {
      const buf = await encode(sharp(png)).toBuffer();
      expect(sniffImageType(buf)).toBe(type);
      const img = await decodeImage(buf, limits);
      expect(img.type).toBe(type);
      expect([img.width, img.height, img.data.length]).toEqual([8, 6, 8 * 6 * 4]);
      expect(img.data[0]).toBeGreaterThan(200); // red channel of orange survives every codec
    }
  });

  it('keeps straight (un-premultiplied) colour under partial alpha', async () => {
    const img = await decodeImage(await solidPng(4, 4, '#ff8000', 0.5), limits);
    expect(Array.from(img.data.slice(0, 4))).toEqual([255, 128, 0, 128]);
  });

  it('applies EXIF orientation', async () => {
    const raw = Buffer.alloc(20 * 10 * 3, 0);
    for (let x = 0; x < 10; x++) raw[x * 3] = 255; // left half of the top row red
    const buf = await sharp(raw, { raw: { width: 20, height: 10, channels: 3 } })
      .png()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(buf, limits);
    expect([img.width, img.height]).toEqual([10, 20]);
  });

  it('normalises 16-bit, grey, palette and CMYK input to 8-bit sRGB RGBA', async () => {
    const base = sharp({ create: { width: 4, height: 4, channels: 3, background: '#3366cc' } });
    const sixteen = await base.clone().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    const grey = await base.clone().greyscale().toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const palette = await base.clone().png({ palette: true }).toBuffer();
    expect((await sharp(palette).metadata()).isPalette).toBe(true);
    const cmyk = await base.clone().toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');

    for (const buf of [sixteen, palette]) {
      const img = await decodeImage(buf, limits);
      expect(Array.from(img.data.slice(0, 4))).toEqual([0x33, 0x66, 0xcc, 255]);
    }
    const g = await decodeImage(grey, limits);
    expect(g.data[0]).toBe(g.data[1]);
    expect(g.data[1]).toBe(g.data[2]);
    expect(g.data[3]).toBe(255);
    const c = await decodeImage(cmyk, limits);
    expect(c.data.length).toBe(4 * 4 * 4);
    expect(c.data[2]).toBeGreaterThan(c.data[0]); // still blue-ish after the CMYK round trip
  });

  it('decodes only the first frame of an animated GIF', async () => {
    const img = await decodeImage(await animatedGif(), limits);
    expect([img.width, img.height]).toEqual([24, 24]);
    expect(Array.from(img.data.slice(0, 3))).toEqual([255, 0, 0]);
  });

  it('refuses empty, text, SVG, PDF, truncated and corrupt input with typed errors', async () => {
    await expectKind(Buffer.alloc(0), 'undecodable');
    await expectKind(Buffer.from('just some notes, renamed to logo.png\n'), 'unsupported_type');
    await expectKind(
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
      'unsupported_type',
    );
    await expectKind(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'unsupported_type');
    const png = await solidPng(64, 64, '#123456');
    await expectKind(png.subarray(0, Math.floor(png.length / 2)), 'undecodable');
    const corrupt = Buffer.from(png);
    corrupt.fill(7, 40);
    await expectKind(corrupt, 'undecodable');
  });

  it('refuses truncated JPEG, WebP, GIF, TIFF and AVIF files as undecodable', async () => {
    const base = sharp({ create: { width: 120, height: 120, channels: 3, background: '#3366cc' } });
    for (const encode of [
      (s: Sharp) => s.jpeg(),
      (s: Sharp) => s.webp(),
      (s: Sharp) => s.gif(),
      (s: Sharp) => s.tiff(),
      (s: Sharp) => s.avif(),
    ]) {
      const buf = await encode(base.clone()).toBuffer();
      await expectKind(buf.subarray(0, Math.floor(buf.length * 0.6)), 'undecodable');
    }
  });

  it('refuses a 30000x30000 header pixel bomb from its header, quickly', async () => {
    const bomb = pixelBombPng(30000, 30000);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    await expectKind(bomb, 'too_large');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses files over the byte limit', async () => {
    await expectKind(await solidPng(64, 64, '#123456'), 'too_large', { maxBytes: 10, maxPixels: 1000 });
  });

  it('decodes a 1x1 image', async () => {
    const img = await decodeImage(await solidPng(1, 1, '#00ff00'), limits);
    expect([img.width, img.height]).toEqual([1, 1]);
  });
});
