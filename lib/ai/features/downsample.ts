/** The image as the features see it: at most MAX_SIDE px on a side, RGB composited over white, and alpha. */
import type { RgbaImage } from '@/lib/quality/types';

const MAX_SIDE = 256;

export type Work = {
  w: number;
  h: number;
  /** RGB composited over white, 3 bytes per pixel. */
  rgb: Uint8Array;
  alpha: Uint8Array;
};

let overWhite: Uint8Array | undefined;
/** `over[alpha << 8 | v]`: channel value v at that alpha composited over white, rounded as an encoder would. */
function overWhiteTable(): Uint8Array {
  if (!overWhite) {
    overWhite = new Uint8Array(65536);
    for (let al = 0; al < 256; al++) {
      for (let v = 0; v < 256; v++) overWhite[(al << 8) | v] = Math.round((v * al + 255 * (255 - al)) / 255);
    }
  }
  return overWhite;
}

/** Box-downsamples to at most MAX_SIDE so features cost the same for any input and are roughly scale-free. */
export function downsample(img: RgbaImage): Work {
  const step = Math.max(1, Math.ceil(Math.max(img.width, img.height) / MAX_SIDE));
  const w = Math.max(1, Math.floor(img.width / step));
  const h = Math.max(1, Math.floor(img.height / step));
  const rgb = new Uint8Array(w * h * 3);
  const alpha = new Uint8Array(w * h);
  const src = img.data;
  if (step === 1) {
    // common case (inputs up to 256 px): composite only the pixels that are not opaque, through a lookup table
    const over = overWhiteTable();
    for (let i = 0, o = 0, q = 0; i < w * h; i++, o += 4, q += 3) {
      const al = src[o + 3];
      alpha[i] = al;
      if (al === 255) {
        rgb[q] = src[o];
        rgb[q + 1] = src[o + 1];
        rgb[q + 2] = src[o + 2];
      } else {
        const row = al << 8;
        rgb[q] = over[row | src[o]];
        rgb[q + 1] = over[row | src[o + 1]];
        rgb[q + 2] = over[row | src[o + 2]];
      }
    }
    return { w, h, rgb, alpha };
  }
  const n = step * step;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < step; dy++) {
        let o = ((y * step + dy) * img.width + x * step) * 4;
        for (let dx = 0; dx < step; dx++, o += 4) {
          const al = src[o + 3];
          // composite over white per source pixel so averaging never drags colour toward transparent black
          r += (src[o] * al + 255 * (255 - al)) / 255;
          g += (src[o + 1] * al + 255 * (255 - al)) / 255;
          b += (src[o + 2] * al + 255 * (255 - al)) / 255;
          a += al;
        }
      }
      const i = y * w + x;
      rgb[i * 3] = Math.round(r / n);
      rgb[i * 3 + 1] = Math.round(g / n);
      rgb[i * 3 + 2] = Math.round(b / n);
      alpha[i] = Math.round(a / n);
    }
  }
  return { w, h, rgb, alpha };
}
