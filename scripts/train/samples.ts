/** Training samples for the AI models: seeded source sampling per split and class, and image augmentations. */
import sharp from 'sharp';
import type { ImageType } from '@/lib/ai/types';
import { renderSource, splitOf, type IconSource } from '@/scripts/dataset';
import { createRandom, shuffle } from '@/scripts/dataset/random';
import type { RgbaImage } from '@/lib/quality/types';

export type Split = 'train' | 'val' | 'test';

type Augmentation = {
  size: number;
  background: 'white' | 'transparent' | [number, number, number];
  jpegQuality?: number;
  blur?: number;
};

export const CLEAN_WHITE: Augmentation = { size: 256, background: 'white' };
export const CLEAN_TRANSPARENT: Augmentation = { size: 256, background: 'transparent' };

/**
 * Up to `perClass` sources of each class from `split`, shuffled with `seed` and taken round-robin across icon
 * sets so no one set dominates a class.
 */
export function sampleSources(
  all: IconSource[],
  split: Split,
  perClass: Record<ImageType, number>,
  seed: number,
): IconSource[] {
  const out: IconSource[] = [];
  for (const [cls, limit] of Object.entries(perClass) as [ImageType, number][]) {
    const bySet = new Map<string, IconSource[]>();
    for (const s of all) {
      if (s.category !== cls || splitOf(s.id) !== split) continue;
      if (!bySet.has(s.set)) bySet.set(s.set, []);
      bySet.get(s.set)!.push(s);
    }
    const rnd = createRandom(seed);
    const queues = [...bySet.keys()].sort().map((k) => shuffle(bySet.get(k)!, rnd));
    let taken = 0;
    for (let round = 0; taken < limit && queues.some((q) => round < q.length); round++) {
      for (const q of queues) {
        if (round < q.length && taken < limit) {
          out.push(q[round]);
          taken++;
        }
      }
    }
  }
  return out;
}

/** A random augmentation: scale, background (white, transparent, flat colour), JPEG artefacts, blur. */
function randomAugmentation(rnd: () => number): Augmentation {
  const sizes = [128, 192, 256, 320];
  const size = sizes[Math.floor(rnd() * sizes.length)];
  const r = rnd();
  const background: Augmentation['background'] =
    r < 0.4
      ? 'white'
      : r < 0.65
        ? 'transparent'
        : r < 0.9
          ? [Math.round(180 + 75 * rnd()), Math.round(180 + 75 * rnd()), Math.round(180 + 75 * rnd())]
          : [Math.round(40 * rnd()), Math.round(40 * rnd()), Math.round(60 * rnd())];
  const aug: Augmentation = { size, background };
  if (background !== 'transparent' && rnd() < 0.35) aug.jpegQuality = Math.round(55 + 35 * rnd());
  if (rnd() < 0.25) aug.blur = Math.round((0.4 + 0.8 * rnd()) * 100) / 100;
  return aug;
}

/** Renders `source` with an augmentation; returns straight RGBA. */
export async function renderAugmented(source: IconSource, aug: Augmentation): Promise<RgbaImage> {
  const transparent = aug.background === 'transparent';
  const { rgba } = await renderSource(source, {
    size: aug.size,
    background: transparent ? 'transparent' : 'white',
  });
  if (!Array.isArray(aug.background) && !aug.jpegQuality && !aug.blur) return rgba;
  let img = sharp(Buffer.from(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength), {
    raw: { width: rgba.width, height: rgba.height, channels: 4 },
  });
  if (Array.isArray(aug.background)) {
    // re-render over transparency so the flat colour shows through exactly where the icon is transparent
    const clear = await renderSource(source, { size: aug.size, background: 'transparent' });
    const [r, g, b] = aug.background;
    img = sharp(Buffer.from(clear.rgba.data.buffer, clear.rgba.data.byteOffset, clear.rgba.data.byteLength), {
      raw: { width: aug.size, height: aug.size, channels: 4 },
    }).flatten({ background: { r, g, b } });
  }
  if (aug.blur) img = img.blur(aug.blur);
  if (aug.jpegQuality) {
    const jpeg = await img.jpeg({ quality: aug.jpegQuality }).toBuffer();
    img = sharp(jpeg);
  }
  const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/**
 * The clean renders of `source` and `extra` random augmentations, all distinct: a draw that repeats one already
 * taken (a random 256 px render on white is the clean one) is drawn again, so no image counts twice.
 */
export function augmentationsOf(source: IconSource, extra: number, seed: number): Augmentation[] {
  const rnd = createRandom(seed ^ hash(source.id));
  const augs: Augmentation[] = [CLEAN_WHITE, CLEAN_TRANSPARENT];
  const keys = new Set(augs.map((a) => JSON.stringify(a)));
  while (augs.length < 2 + extra) {
    const aug = randomAugmentation(rnd);
    const key = JSON.stringify(aug);
    if (keys.has(key)) continue;
    keys.add(key);
    augs.push(aug);
  }
  return augs;
}

/** FNV-1a of a source id: each source gets its own augmentation stream. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
