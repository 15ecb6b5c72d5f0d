/** One image the bench runs every tool on: from the labelled dataset, or from any folder of images. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { CATEGORIES, type BenchImage } from '@/scripts/dataset';
import type { RgbaImage } from '@/lib/quality/types';

export type BenchInput = {
  id: string;
  sourceId: string;
  set: string;
  /** A dataset category, or 'uncategorized' for folder images outside a category-named folder. */
  category: string;
  background: 'white' | 'transparent';
  /** The encoded file every tool receives (PNG for the dataset; whatever the folder holds otherwise). */
  png: Buffer;
  /** The reference pixels, straight RGBA. */
  rgba: RgbaImage;
};

export function fromBenchImage(img: BenchImage): BenchInput {
  return {
    id: img.id,
    sourceId: img.source.id,
    set: img.source.set,
    category: img.category,
    background: img.background,
    png: img.png,
    rgba: img.rgba,
  };
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|tiff?|avif)$/i;

function listImages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listImages(full));
    else if (IMAGE_EXT.test(name)) out.push(full);
  }
  return out;
}

/**
 * Every image under `dir`, for testing on sets the dataset does not hold. A path segment named like a category
 * (simple, text, gradient, complex) labels the image; the first sub-folder names its set. Images with any
 * transparency count as 'transparent'. Files that do not decode are reported and skipped.
 */
export async function loadImageFolder(dir: string): Promise<{ inputs: BenchInput[]; skipped: string[] }> {
  const root = path.resolve(dir);
  const inputs: BenchInput[] = [];
  const skipped: string[] = [];
  for (const file of listImages(root)) {
    const rel = path.relative(root, file);
    const segments = rel.split(path.sep);
    try {
      const bytes = readFileSync(file);
      const { data, info } = await sharp(bytes)
        .rotate()
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      let opaque = true;
      for (let i = 3; i < data.length; i += 4) {
        if (data[i] !== 255) {
          opaque = false;
          break;
        }
      }
      inputs.push({
        id: rel,
        sourceId: rel,
        set:
          segments.length > 1 && !CATEGORIES.includes(segments[0] as never)
            ? segments[0]
            : path.basename(root),
        category: segments.find((s) => CATEGORIES.includes(s as never)) ?? 'uncategorized',
        background: opaque ? 'white' : 'transparent',
        png: bytes,
        rgba: {
          data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          width: info.width,
          height: info.height,
        },
      });
    } catch (err) {
      skipped.push(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { inputs, skipped };
}
