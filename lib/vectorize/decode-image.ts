/** Decodes an uploaded raster (PNG, JPEG, WebP, GIF, TIFF, AVIF) into straight 8-bit sRGB RGBA, within limits. */
import { formatBytes } from '@/lib/format/bytes';
import sharp, { type Metadata } from 'sharp';
import { ConversionError } from '@/lib/errors/conversion-error';
import type { RgbaImage } from '@/lib/quality/types';

type RasterType = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif';
type DecodeLimits = { maxBytes: number; maxPixels: number };
type DecodedImage = RgbaImage & { type: RasterType };

const ASCII = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString('latin1');

/** Identifies the format from magic bytes; file names and MIME types are not trusted. */
export function sniffImageType(buf: Buffer): RasterType {
  if (buf.length === 0) throw new ConversionError('undecodable', 'The file is empty.');
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a)
    return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 6 && (ASCII(buf, 0, 6) === 'GIF87a' || ASCII(buf, 0, 6) === 'GIF89a')) return 'gif';
  if (buf.length >= 12 && ASCII(buf, 0, 4) === 'RIFF' && ASCII(buf, 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 4 && (ASCII(buf, 0, 4) === 'II*\0' || ASCII(buf, 0, 4) === 'MM\0*')) return 'tiff';
  if (buf.length >= 12 && ASCII(buf, 4, 8) === 'ftyp') {
    // ISO-BMFF: accept AV1 image brands only; HEIC needs a codec sharp's prebuilt binaries do not ship.
    const boxSize = Math.min(buf.readUInt32BE(0), buf.length, 64);
    const brands = [ASCII(buf, 8, 12)];
    for (let o = 16; o + 4 <= boxSize; o += 4) brands.push(ASCII(buf, o, o + 4));
    if (brands.some((b) => b === 'avif' || b === 'avis')) return 'avif';
    throw new ConversionError(
      'unsupported_type',
      `Unsupported ISO media file (brand ${brands[0].trim()}); AVIF is the only HEIF kind accepted.`,
    );
  }
  const head = buf
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<\?xml|^<svg|^<!DOCTYPE svg/i.test(head) || /<svg[\s>]/i.test(head)) {
    throw new ConversionError(
      'unsupported_type',
      'SVG input is already a vector image; upload a raster (PNG, JPEG, WebP, GIF, TIFF, AVIF).',
    );
  }
  if (ASCII(buf, 0, 5) === '%PDF-') {
    throw new ConversionError(
      'unsupported_type',
      'PDF input is not supported; upload a raster (PNG, JPEG, WebP, GIF, TIFF, AVIF).',
    );
  }
  if (isMostlyText(buf)) {
    throw new ConversionError(
      'unsupported_type',
      'The file is text, not an image (check that it really is a PNG, JPEG, WebP, GIF, TIFF or AVIF).',
    );
  }
  throw new ConversionError(
    'unsupported_type',
    'Unrecognised file format; accepted formats are PNG, JPEG, WebP, GIF, TIFF and AVIF.',
  );
}

function isMostlyText(buf: Buffer): boolean {
  const n = Math.min(buf.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc0) printable++;
  }
  return printable / n > 0.95;
}

/**
 * Decodes the first frame with EXIF orientation applied. The pixel limit is checked on header metadata
 * before any pixel is decoded, so a pixel bomb costs only a header read.
 */
export async function decodeImage(buf: Buffer, limits: DecodeLimits): Promise<DecodedImage> {
  if (buf.length > limits.maxBytes) {
    throw new ConversionError(
      'too_large',
      `The file (${formatBytes(buf.length)}) is larger than the ${formatBytes(limits.maxBytes)} limit.`,
      {
        bytes: buf.length,
        maxBytes: limits.maxBytes,
      },
    );
  }
  const type = sniffImageType(buf);

  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (err) {
    throw new ConversionError(
      'undecodable',
      `The ${type.toUpperCase()} file cannot be read: ${errorText(err)}.`,
    );
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (!(width > 0 && height > 0))
    throw new ConversionError('undecodable', `The ${type.toUpperCase()} header has no valid size.`);
  if (width * height > limits.maxPixels) {
    throw new ConversionError(
      'too_large',
      `The image is ${width}x${height} (${width * height} pixels); the limit is ${limits.maxPixels} pixels.`,
      { width, height, maxPixels: limits.maxPixels },
    );
  }

  try {
    const { data, info } = await sharp(buf, {
      limitInputPixels: limits.maxPixels,
      pages: 1,
      page: 0,
      failOn: 'error',
    })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`unexpected ${info.channels} channels after normalisation`);
    return {
      type,
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    throw new ConversionError(
      'undecodable',
      `The ${type.toUpperCase()} file is truncated or corrupt: ${errorText(err)}.`,
    );
  }
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].replace(/\.$/, '').slice(0, 200);
}
