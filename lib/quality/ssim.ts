/** SSIM (Gaussian 11x11, sigma 1.5) on luminance and RGB channels, and PSNR, of two RGBA images over one background. */
import { SSIM_KERNEL_WASM_BASE64 } from './wasm/ssim-kernel.wasm';
import type { RgbaImage } from './types';

export type Rgb = readonly [number, number, number];

export type SsimReport = {
  /** RGB-SSIM: mean of the R, G and B SSIMs. Luminance alone hides colour errors, so this is the headline. */
  ssim: number;
  /** SSIM of BT.601 luminance. */
  ssimLuma: number;
  r: number;
  g: number;
  b: number;
};

const L = 255;
const WHITE: Rgb = [255, 255, 255];

type Kernel = {
  memory: WebAssembly.Memory;
  prepare(width: number, height: number): number;
  secondImageOffset(width: number, height: number): number;
  compare(width: number, height: number, r: number, g: number, b: number, withSsim: number): number;
};

let compiled: WebAssembly.Module | undefined;
let kernel: Kernel | undefined;

/**
 * A WebAssembly memory only grows: after one 25-megapixel comparison a thread would hold about a gigabyte for
 * good. Memory up to this size is kept for the next comparison (it fits images up to about 1.5 megapixels);
 * an instance that grew beyond it is dropped after use and its memory collected with it.
 */
const KEEP_KERNEL_MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * The maths runs in WebAssembly (lib/quality/wasm/ssim-kernel.ts, see there why), one instance per thread,
 * compiled on first use. Its memory grows to the comparison at hand and is reused after that, up to
 * KEEP_KERNEL_MEMORY_BYTES.
 */
function getKernel(): Kernel {
  if (!kernel) {
    compiled ??= new WebAssembly.Module(Buffer.from(SSIM_KERNEL_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        abort: () => {
          throw new Error('SSIM kernel aborted');
        },
      },
    });
    kernel = instance.exports as unknown as Kernel;
  }
  return kernel;
}

function assertSameSize(a: RgbaImage, b: RgbaImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  if (a.data.length < a.width * a.height * 4 || b.data.length < b.width * b.height * 4) {
    throw new RangeError('image data shorter than width*height*4');
  }
}

type Scores = SsimReport & { mse: number };

/**
 * Composites both images over `bg` and scores them. Windows are 'valid' only (no padding), as in Wang et al.'s
 * reference code; images smaller than the window use the largest centred window that fits, so tiny images still
 * get a score.
 */
function score(a: RgbaImage, b: RgbaImage, bg: Rgb, withSsim: boolean): Scores {
  assertSameSize(a, b);
  const { width, height } = a;
  const n = width * height * 4;
  const k = getKernel();
  const at = k.prepare(width, height);
  // the memory may have grown in prepare(): take the views after it
  const bytes = new Uint8Array(k.memory.buffer);
  bytes.set(a.data.subarray(0, n), at);
  bytes.set(b.data.subarray(0, n), at + k.secondImageOffset(width, height));
  const out = new Float64Array(
    k.memory.buffer,
    k.compare(width, height, bg[0], bg[1], bg[2], withSsim ? 1 : 0),
    5,
  );
  const [r, g, bl, ssimLuma, mse] = out;
  if (k.memory.buffer.byteLength > KEEP_KERNEL_MEMORY_BYTES) kernel = undefined;
  return { ssim: (r + g + bl) / 3, ssimLuma, r, g, b: bl, mse };
}

function psnrOf(mse: number): number {
  return mse === 0 ? Infinity : 10 * Math.log10((L * L) / mse);
}

/** SSIM of two same-size images after compositing both over `background` (default white). */
export function measureSsim(a: RgbaImage, b: RgbaImage, background: Rgb = WHITE): SsimReport {
  const { mse: _mse, ...report } = score(a, b, background, true);
  void _mse;
  return report;
}

/** PSNR in dB over R, G and B after compositing over `background`; Infinity when the composites are identical. */
export function measurePsnr(a: RgbaImage, b: RgbaImage, background: Rgb = WHITE): number {
  return psnrOf(score(a, b, background, false).mse);
}

/** SSIM and PSNR together, compositing each image once. */
export function compareImages(
  a: RgbaImage,
  b: RgbaImage,
  background: Rgb = WHITE,
): SsimReport & { psnr: number } {
  const { mse, ...report } = score(a, b, background, true);
  return { ...report, psnr: psnrOf(mse) };
}
