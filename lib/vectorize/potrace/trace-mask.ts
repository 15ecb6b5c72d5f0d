/**
 * Traces a binary mask with potrace's algorithm by driving the npm `potrace` package (GPL-2.0) directly on our
 * bitmap: its public API decodes through Jimp, which is slow and redundant since we already hold the pixels.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import type PotraceClass from 'potrace/lib/Potrace.js';
import type BitmapClass from 'potrace/lib/types/Bitmap.js';

export type Point = { x: number; y: number };
/** One closed outline: segments either cubic ('C': c1, c2, end) or corner ('L': vertex, end). */
type Segment = { kind: 'C'; c1: Point; c2: Point; end: Point } | { kind: 'L'; vertex: Point; end: Point };
export type Outline = { start: Point; segments: Segment[] };

export type TraceOptions = {
  /** Outlines enclosing at most this many pixels are dropped (potrace turdsize). */
  turdSize: number;
  /** Potrace alphamax. */
  alphaMax: number;
  /** Potrace opttolerance; 0 disables curve optimisation. */
  optTolerance: number;
};

type Modules = { Potrace: typeof PotraceClass; Bitmap: typeof BitmapClass };
let modules: Modules | undefined;

function loadModules(): Modules {
  if (!modules) {
    const require = createRequire(import.meta.url);
    try {
      modules = loadWithoutJimp(require);
    } catch {
      modules = {
        Potrace: require('potrace/lib/Potrace.js') as typeof PotraceClass,
        Bitmap: require('potrace/lib/types/Bitmap.js') as typeof BitmapClass,
      };
    }
  }
  return modules;
}

/**
 * The package's modules require Jimp at load time (~0.1 s of start-up in every process and worker thread) only
 * for its image-file API, which we never call. This loads a private copy of its own small modules
 * (Potrace, Bitmap, Histogram, ...) with Jimp answered by an empty class, the way Histogram.js already runs
 * when Jimp is missing; anyone else requiring `potrace` still gets the untouched package from the module cache.
 */
function loadWithoutJimp(require: NodeJS.Require): Modules {
  const potraceFile = require.resolve('potrace/lib/Potrace.js');
  const libDir = path.dirname(potraceFile) + path.sep;
  const loaded = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const hit = loaded.get(file);
    if (hit) return hit.exports;
    const mod = { exports: {} as unknown };
    loaded.set(file, mod); // before running: the package has a require cycle (Bitmap <-> Histogram)
    const fileRequire = createRequire(file);
    const privateRequire = (id: string): unknown => {
      if (id === 'jimp') return function JimpNotLoaded() {};
      const resolved = fileRequire.resolve(id);
      return resolved.startsWith(libDir) ? load(resolved) : fileRequire(resolved);
    };
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
    const run = runInThisContext(wrapper, { filename: file }) as (...args: unknown[]) => void;
    run.call(mod.exports, mod.exports, privateRequire, mod, file, path.dirname(file));
    return mod.exports;
  };
  return {
    Potrace: load(potraceFile) as typeof PotraceClass,
    Bitmap: load(path.join(libDir, 'types', 'Bitmap.js')) as typeof BitmapClass,
  };
}

/**
 * Traces the pixels where mask[i] !== 0 into closed outlines (holes come out as separate outlines).
 * `offset` is added to every output coordinate, so a caller can trace a cropped window of a larger image
 * (potrace's cost grows with the bitmap it scans); then every coordinate is multiplied by `scale`, so a mask
 * drawn on a finer grid comes back in source pixels.
 */
export function traceMask(
  mask: Uint8Array,
  width: number,
  height: number,
  opts: TraceOptions,
  offset: Point = { x: 0, y: 0 },
  scale = 1,
): Outline[] {
  const { Potrace, Bitmap } = loadModules();
  // A 1-pixel empty margin: the package's bounds check lets x === width wrap to the next row, which
  // corrupts outlines touching the right edge. Coordinates are shifted back below.
  const pw = width + 2;
  const blackMap = new Bitmap(pw, height + 2);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const prow = (y + 1) * pw + 1;
    for (let x = 0; x < width; x++) if (mask[row + x]) blackMap.data[prow + x] = 1;
  }
  const potrace = new Potrace({
    turdSize: opts.turdSize,
    alphaMax: opts.alphaMax,
    optCurve: opts.optTolerance > 0,
    optTolerance: opts.optTolerance,
    threshold: 128,
    blackOnWhite: true,
    turnPolicy: 'minority',
  });
  // _bmToPathlist thresholds a luminance copy into its 0/1 working map; we hand it our 0/1 map directly
  // (it is consumed, so it is never shared).
  potrace._luminanceData = { copy: () => blackMap };
  potrace._bmToPathlist();
  potrace._processPath();

  // Undo the margin and move the window back into place.
  const dx = offset.x - 1;
  const dy = offset.y - 1;
  const shift = (pt: Point): Point => ({ x: (pt.x + dx) * scale, y: (pt.y + dy) * scale });
  const outlines: Outline[] = [];
  for (const path of potrace._pathlist) {
    const { n, tag, c } = path.curve;
    if (!n) continue;
    const segments: Segment[] = [];
    for (let i = 0; i < n; i++) {
      if (tag[i] === 'CURVE')
        segments.push({ kind: 'C', c1: shift(c[3 * i]), c2: shift(c[3 * i + 1]), end: shift(c[3 * i + 2]) });
      else segments.push({ kind: 'L', vertex: shift(c[3 * i + 1]), end: shift(c[3 * i + 2]) });
    }
    outlines.push({ start: shift(c[(n - 1) * 3 + 2]), segments });
  }
  return outlines;
}
