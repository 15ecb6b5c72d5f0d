/** Deterministic, balanced benchmark samples and the train / val / test split shared with classifier training. */
import type { ImageType } from '@/lib/ai/types';
import type { RgbaImage } from '@/lib/quality/types';
import { createRandom, hashString, shuffle } from './random';
import { renderSource } from './render-source';
import { loadIconSources, type IconSource } from './sources';

export type Split = 'train' | 'val' | 'test';
export type Background = 'white' | 'transparent';

export type BenchImage = {
  /** `${source.id}@${background}` */
  id: string;
  source: IconSource;
  category: ImageType;
  background: Background;
  split: Split;
  size: number;
  png: Buffer;
  rgba: RgbaImage;
};

export const CATEGORIES: readonly ImageType[] = ['simple', 'text', 'gradient', 'complex'];
/** Fixed so training and benchmark agree on held-out images forever; changing it reshuffles every split. */
const SPLIT_SEED = 'svgai-split-v1';
/** An image whose visible ink on white covers less than this share is a near-blank (e.g. a white logo): skipped. */
const MIN_INK_SHARE = 0.01;

/** 70% train, 15% val, 15% test, by a hash of the source id (not of the image, so augmentations stay together). */
export function splitOf(sourceId: string): Split {
  const u = hashString(`${SPLIT_SEED}:${sourceId}`) / 4294967296;
  return u < 0.7 ? 'train' : u < 0.85 ? 'val' : 'test';
}

/** Share of pixels that differ visibly from white once composited over white. */
export function inkShareOnWhite(img: RgbaImage): number {
  const d = img.data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3] / 255;
    const darkest = Math.min(d[i], d[i + 1], d[i + 2]) * a + 255 * (1 - a);
    if (255 - darkest > 32) n++;
  }
  return n / (img.width * img.height);
}

/**
 * Picks sources for one category: each set's candidates shuffled with the seed, then taken round-robin across
 * sets so no set dominates a category (simple-icons alone would otherwise fill `simple`).
 */
function* candidatesFor(sources: IconSource[], seed: number): Generator<IconSource> {
  const bySet = new Map<string, IconSource[]>();
  for (const s of sources) {
    if (!bySet.has(s.set)) bySet.set(s.set, []);
    bySet.get(s.set)!.push(s);
  }
  const queues = [...bySet.keys()]
    .sort()
    .map((set, i) => shuffle(bySet.get(set)!, createRandom(seed + i * 7919)));
  for (let round = 0; queues.some((q) => round < q.length); round++) {
    for (const q of queues) if (round < q.length) yield q[round];
  }
}

export type BuildBenchmarkSetOptions = {
  size?: number;
  perCategory: number;
  seed?: number;
  backgrounds?: Background[];
  /** Which splits to draw from; default the held-out test split. */
  splits?: Split[];
  categories?: readonly ImageType[];
};

/**
 * `perCategory` sources per category, each rendered once per background (so the same icons appear on white and
 * on transparency). Ordered by category, then source, then background. Same options, same images.
 */
export async function buildBenchmarkSet({
  size = 256,
  perCategory,
  seed = 1,
  backgrounds = ['white', 'transparent'],
  splits = ['test'],
  categories = CATEGORIES,
}: BuildBenchmarkSetOptions): Promise<BenchImage[]> {
  const all = loadIconSources();
  const out: BenchImage[] = [];
  for (const category of categories) {
    const pool = all.filter((s) => s.category === category && splits.includes(splitOf(s.id)));
    let taken = 0;
    for (const source of candidatesFor(pool, seed)) {
      if (taken >= perCategory) break;
      const preview = await renderSource(source, { size: 64, background: 'transparent' });
      if (inkShareOnWhite(preview.rgba) < MIN_INK_SHARE) continue;
      const rendered = await Promise.all(
        backgrounds.map((background) => renderSource(source, { size, background })),
      );
      rendered.forEach(({ png, rgba }, i) => {
        const background = backgrounds[i];
        out.push({
          id: `${source.id}@${background}`,
          source,
          category,
          background,
          split: splitOf(source.id),
          size,
          png,
          rgba,
        });
      });
      taken++;
    }
  }
  return out;
}
