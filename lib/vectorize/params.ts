/**
 * The TraceParams schema: every tracer tunable with its range and effect (the type is inferred from it), the
 * per-mode defaults, withDefaults() that lays already-validated overrides over them, and optionsError() that turns a
 * failed parse into ConversionError('bad_options') for the edges that parse requests.
 *
 * Parameters (range; effect):
 * - mode            'color' | 'mono'. color quantizes and stacks one layer per colour; mono traces one layer
 *                   from a luminance threshold (line art, text, single-colour marks).
 * - colors          2..64. Upper bound of the palette; the quantizer stops earlier when the image has fewer
 *                   distinct colours (flat logos keep their exact colours). More = smoother gradients, bigger SVG.
 * - speckle         0..1000 px. Potrace turdsize: traced regions of at most this many pixels are dropped.
 * - cornerThreshold 0..1.334. Potrace alphamax: 0 makes every vertex a sharp corner (polygons), 1.334 smooths
 *                   everything into curves; ~1 keeps real corners sharp and rounds the rest.
 * - curveTolerance  0..2 px. Potrace opttolerance: how far joined Bezier segments may deviate from the
 *                   polygon; 0 turns curve joining off (more segments, bigger output), higher = fewer segments.
 * - precision       0..3. Decimal places kept in path coordinates; 0 = whole pixels (smallest), 2+ rarely helps.
 * - layering        'stacked' | 'cutout'. stacked: each colour layer also covers every layer painted above it,
 *                   so neighbouring regions overlap and never show hairline seams; cutout: exact disjoint regions.
 * - minRegionArea   0..0.01 (share of the image area). Connected regions smaller than this are merged into
 *                   the neighbouring colour before tracing, which removes anti-aliasing fringes and noise.
 * - blur            0..3 (Gaussian sigma, px). Smooths noise/JPEG artefacts before quantization; 0 = off.
 * - threshold       -1 | 0..255. Mono luminance threshold; -1 picks it automatically (Otsu).
 * - subpixel        1..4. 1 traces the pixel grid (default). k > 1 traces each layer's mask on a grid k times
 *                   finer, interpolated (bilinear) from the anti-aliasing: mono from luminance, colour from
 *                   each pixel's blend of its neighbourhood's palette colours (the palette stays the one of the
 *                   1x quantization). Edges land where the source's 50% coverage lies instead of on pixel
 *                   boundaries: higher SSIM on anti-aliased marks and lettering, about k^2 the tracing time,
 *                   usually a few more bytes (speckle scales by k^2 and curveTolerance by k, so they keep
 *                   their meaning in source pixels). Capped so the fine grid stays within 4 MP (1024 px
 *                   images get 2x at most); images under 8 px stay on the pixel grid.
 * - cleanup         'auto' | 'off'. auto detects JPEG artefacts, noise and soft (blurred or smoothly upscaled)
 *                   edges and undoes them before quantization with edge-preserving filters (bilateral, edge
 *                   snap; lib/vectorize/clean-up), so ringing, grain and soft edges do not become halos,
 *                   specks and ragged borders; clean art passes untouched. off traces the pixels as they are.
 * - gradients       boolean (colour mode). Neighbouring colour bands that together form one smooth ramp merge
 *                   into one shape filled with a fitted linear or radial gradient, kept only where it matches the
 *                   pixels better than the flat bands did (fewer shapes, no banding); false = flat fills only.
 * - translucency    boolean (colour mode). Regions of one colour at a constant partial alpha (drop shadows,
 *                   glass over transparency) become one layer with fill-opacity instead of being painted opaque or
 *                   dropped; false = every covered pixel is opaque.
 * - primitives      boolean (colour mode, pixel grid). Parts of a layer that are a circle, an ellipse or a
 *                   (rounded) rectangle within a pixel, holes included, are drawn exactly (<circle>, <ellipse>,
 *                   <rect>, or arcs in the layer's path) instead of potrace's curve fit; false = potrace only.
 */
import { z } from 'zod';
import { ConversionError } from '@/lib/errors/conversion-error';

export const traceParamsSchema = z
  .object({
    mode: z
      .enum(['color', 'mono'])
      .describe("'color': stacked colour layers; 'mono': one luminance-threshold layer"),
    colors: z
      .number()
      .int()
      .min(2)
      .max(64)
      .describe('2..64: palette size upper bound; fewer used when the image has fewer distinct colours'),
    speckle: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .describe('0..1000 px: drop traced regions of at most this area'),
    cornerThreshold: z
      .number()
      .min(0)
      .max(1.334)
      .describe('0..1.334 (potrace alphamax): 0 = all sharp corners, 1.334 = all smooth curves'),
    curveTolerance: z
      .number()
      .min(0)
      .max(2)
      .describe('0..2 px (potrace opttolerance): allowed deviation when joining curves; 0 = no joining'),
    precision: z.number().int().min(0).max(3).describe('0..3: decimal places of path coordinates'),
    layering: z
      .enum(['stacked', 'cutout'])
      .describe("'stacked': layers overlap the ones above them (no seams); 'cutout': disjoint regions"),
    minRegionArea: z
      .number()
      .min(0)
      .max(0.01)
      .describe('0..0.01 share of the image: smaller connected regions merge into a neighbouring colour'),
    blur: z.number().min(0).max(3).describe('0..3 px Gaussian sigma applied before quantization; 0 = off'),
    threshold: z
      .number()
      .int()
      .min(-1)
      .max(255)
      .describe('-1 = automatic (Otsu), else 0..255 luminance threshold for mono mode'),
    subpixel: z
      .number()
      .int()
      .min(1)
      .max(4)
      .describe(
        '1..4: trace edges on a grid this many times finer, interpolated from the anti-aliasing; 1 = off (fastest)',
      ),
    cleanup: z
      .enum(['auto', 'off'])
      .describe(
        "'auto': detect JPEG artefacts, noise and soft edges and clean them up before quantization; 'off': trace the pixels as they are",
      ),
    gradients: z
      .boolean()
      .describe('colour mode: smooth colour ramps become one shape with a fitted linear/radial gradient'),
    translucency: z
      .boolean()
      .describe('colour mode: regions of constant partial alpha become one layer with fill-opacity'),
    primitives: z
      .boolean()
      .describe('colour mode: circles, ellipses and (rounded) rectangles within a pixel are drawn exactly'),
  })
  .strict();

export type TraceParams = z.infer<typeof traceParamsSchema>;

/** Overrides accepted from callers (CLI flags, API body, AI predictor): any subset, mode excluded. */
export const traceParamsOverridesSchema = traceParamsSchema.omit({ mode: true }).partial().strict();

export type TraceParamsOverrides = z.infer<typeof traceParamsOverridesSchema>;

const BASE: Omit<TraceParams, 'mode'> = {
  colors: 16,
  speckle: 4,
  cornerThreshold: 1,
  curveTolerance: 0.2,
  precision: 1,
  layering: 'stacked',
  minRegionArea: 0.0001,
  blur: 0,
  threshold: -1,
  subpixel: 1,
  cleanup: 'auto',
  gradients: true,
  translucency: true,
  primitives: true,
};

/** Default parameters of each concrete mode (one setting for every image; the AI router refines per image). */
export const DEFAULT_PARAMS: Record<'color' | 'mono', TraceParams> = {
  color: { mode: 'color', ...BASE },
  mono: { mode: 'mono', ...BASE, colors: 2 },
};

/**
 * The parameters of `mode`: its defaults with the overrides over them (undefined values leave a default alone).
 * The overrides were validated where they entered (API, CLI, predictor), so nothing is checked again here.
 */
export function withDefaults(mode: 'color' | 'mono', overrides: TraceParamsOverrides = {}): TraceParams {
  const params = { ...DEFAULT_PARAMS[mode] };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (params as Record<string, unknown>)[key] = value;
  }
  return params;
}

/**
 * A failed options parse as the pipeline's bad_options error naming the first bad field ("params.colors: Too
 * big..."), for edges that answer with one message (the CLI); the API lists every issue itself.
 */
export function optionsError(error: z.ZodError): ConversionError {
  const issue = error.issues[0];
  const at = issue.path.map(String).join('.');
  const field =
    issue.code === 'unrecognized_keys' ? [at, issue.keys[0]].filter(Boolean).join('.') : at || 'options';
  const message = issue.code === 'unrecognized_keys' ? 'unknown option' : issue.message;
  return new ConversionError('bad_options', `${field}: ${message}`, { field, issues: error.issues.length });
}
