/** Synthetic RGBA images with known character (flat, gradient, noise, strokes), for the feature bench and the AI tests. */
import type { RgbaImage } from '@/lib/quality/types';

function blank(
  w: number,
  h: number,
  rgba: [number, number, number, number] = [255, 255, 255, 255],
): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(rgba, i * 4);
  return { data, width: w, height: h };
}

function fillRect(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, rgba: number[]): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.data.set(rgba, (y * img.width + x) * 4);
}

/** A red square on white. */
export function makeFlatSquare(size = 256): RgbaImage {
  const img = blank(size, size);
  const q = size >> 2;
  fillRect(img, q, q, size - q, size - q, [220, 30, 40, 255]);
  return img;
}

/** A diagonal blue-to-orange linear gradient filling the image. */
export function makeGradient(size = 256): RgbaImage {
  const img = blank(size, size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1));
      img.data.set(
        [Math.round(20 + 230 * t), Math.round(60 + 100 * t), Math.round(230 - 200 * t), 255],
        (y * size + x) * 4,
      );
    }
  }
  return img;
}

/** Uniform pseudo-random noise from a fixed seed (a stand-in for photographic detail). */
export function makeNoise(size = 256, seed = 1): RgbaImage {
  const img = blank(size, size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size * size * 3; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    img.data[Math.floor(i / 3) * 4 + (i % 3)] = (s >>> 0) & 255;
  }
  return img;
}

/** A row of thin dark glyph-like strokes (bars and rings) on white, like a word mark. */
export function makeStrokes(width = 256, height = 96): RgbaImage {
  const img = blank(width, height);
  const top = Math.round(height * 0.3);
  const bottom = Math.round(height * 0.7);
  const ink = [20, 20, 30, 255];
  for (let k = 0, x = 10; x + 14 < width - 10; k++, x += 22) {
    if (k % 2 === 0) fillRect(img, x, top, x + 4, bottom, ink);
    else {
      fillRect(img, x, top, x + 14, top + 4, ink);
      fillRect(img, x, bottom - 4, x + 14, bottom, ink);
      fillRect(img, x, top, x + 4, bottom, ink);
      fillRect(img, x + 10, top, x + 14, bottom, ink);
    }
  }
  return img;
}

/** The flat square on a fully transparent background. */
export function makeTransparentSquare(size = 256): RgbaImage {
  const img = blank(size, size, [0, 0, 0, 0]);
  const q = size >> 2;
  fillRect(img, q, q, size - q, size - q, [30, 120, 220, 255]);
  return img;
}
