// Converts every PNG in a folder with imagetracerjs (defaults) in one process: the speed baseline for the CLI.
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import ImageTracer from 'imagetracerjs';

const [inDir, outDir] = process.argv.slice(2);
if (!inDir || !outDir) {
  console.error('usage: node scripts/bench/imagetracer-batch.mjs IN_DIR OUT_DIR');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
const files = (await readdir(inDir)).filter((f) => f.endsWith('.png')).sort();
for (const file of files) {
  const { data, info } = await sharp(await readFile(path.join(inDir, file)))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const svg = ImageTracer.imagedataToSVG({
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  });
  await writeFile(path.join(outDir, file.replace(/\.png$/, '.svg')), svg);
}
console.log(JSON.stringify({ converted: files.length }));
