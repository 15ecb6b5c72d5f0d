/**
 * The "degraded" bench category: clean dataset images put through what real uploads go through (JPEG at
 * q50 and q70, a 64 px rendering upscaled 4x, sensor-like noise, blur). Every tool receives the degraded file
 * and is scored against the clean rendering, so cleaning up counts and tracing the damage does not.
 */
import sharp from 'sharp';
import { renderSource, type BenchImage } from '@/scripts/dataset';
import { createRandom, hashString } from '@/scripts/dataset/random';
import type { BenchInput } from './bench-input';

export const DEGRADATIONS = ['jpeg50', 'jpeg70', 'upscale4x', 'noise', 'blur'] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

/** Gaussian noise sigma (levels) and blur sigma (px) at 256 px. */
const NOISE_SIGMA = 10;
const BLUR_SIGMA = 1.5;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

async function toPng(data: Uint8Array | Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.length), {
    raw: { width, height, channels: 4 },
  })
    .png()
    .toBuffer();
}

/** The degraded file for one clean, opaque image (white background). */
export async function degradeImage(image: BenchImage, kind: Degradation): Promise<Buffer> {
  const { width, height } = image.rgba;
  switch (kind) {
    case 'jpeg50':
    case 'jpeg70':
      return sharp(image.png)
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: kind === 'jpeg50' ? 50 : 70 })
        .toBuffer();
    case 'upscale4x': {
      const small = await renderSource(image.source, {
        size: Math.max(8, Math.round(image.size / 4)),
        background: 'white',
      });
      return sharp(small.png).resize(width, height, { kernel: 'cubic', fit: 'fill' }).png().toBuffer();
    }
    case 'noise': {
      const rand = createRandom(hashString(image.id));
      const data = new Uint8Array(image.rgba.data);
      for (let i = 0; i < data.length; i++) {
        if (i % 4 === 3) continue;
        data[i] = Math.max(0, Math.min(255, Math.round(data[i] + NOISE_SIGMA * gaussian(rand))));
      }
      return toPng(data, width, height);
    }
    case 'blur':
      return sharp(image.png).blur(BLUR_SIGMA).png().toBuffer();
  }
}

/**
 * Degraded inputs from clean white-background images: each image in each degradation, labelled category
 * 'degraded', set = the degradation, reference = the clean pixels.
 */
export async function degradedInputs(
  images: BenchImage[],
  kinds: readonly Degradation[] = DEGRADATIONS,
): Promise<BenchInput[]> {
  const out: BenchInput[] = [];
  for (const image of images.filter((i) => i.background === 'white')) {
    for (const kind of kinds) {
      out.push({
        id: `${image.source.id}@${kind}`,
        sourceId: image.source.id,
        set: kind,
        category: 'degraded',
        background: 'white',
        png: await degradeImage(image, kind),
        rgba: image.rgba,
      });
    }
  }
  return out;
}
