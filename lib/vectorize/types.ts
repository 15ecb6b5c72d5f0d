/**
 * The contract of the conversion engine, shared by the CLI, the API, the worker pool, the AI router and the
 * benchmark. The engine (lib/vectorize/convert-image.ts) implements it; lib/vectorize/params.ts holds the
 * zod schema of TraceParams with each parameter's range and effect.
 */

export type ConversionMode = 'auto' | 'color' | 'mono';

/** Every tunable of the tracer, one typed object (the AI parameter predictor outputs this). */
export type TraceParams = {
  mode: 'color' | 'mono';
  /** Palette size after quantization (color mode). */
  colors: number;
  /** Potrace turdsize: drop regions with fewer pixels than this. */
  speckle: number;
  /** Potrace alphamax: 0 = sharp corners everywhere, 1.334 = smooth everything. */
  cornerThreshold: number;
  /** Potrace opttolerance: how far merged curves may deviate (px). 0 disables curve optimization. */
  curveTolerance: number;
  /** Decimal places kept in path coordinates. */
  precision: number;
  /** 'stacked': each colour layer also covers the layers above it (no seams); 'cutout': exact regions. */
  layering: 'stacked' | 'cutout';
  /** Regions smaller than this share of the image area merge into their neighbour (0..0.01). */
  minRegionArea: number;
  /** Gaussian pre-blur sigma before quantization (0 = off). */
  blur: number;
  /** Mono threshold 0..255, or -1 for automatic (Otsu). */
  threshold: number;
  /**
   * Sub-pixel edges: trace each layer on a grid this many times finer, its mask interpolated from the
   * anti-aliased coverage (1..4; 1 = off, the pixel grid).
   */
  subpixel: number;
};

export type ConvertOptions = {
  mode?: ConversionMode;
  /** Partial overrides of the defaults for the chosen mode. */
  params?: Partial<Omit<TraceParams, 'mode'>>;
  /** Skip the render-back SSIM measurement (callers that measure themselves). Default false. */
  skipQuality?: boolean;
  /** Byte and pixel limits; default from config. */
  limits?: { maxBytes: number; maxPixels: number };
};

export type QualityReport = {
  /** RGB-SSIM: mean of per-channel SSIMs (Gaussian 11x11, sigma 1.5), composited over white. */
  ssim: number;
  /** SSIM on luminance (BT.601). */
  ssimLuma: number;
  /** PSNR in dB over RGB (Infinity when identical, capped at 100 in JSON). */
  psnr: number;
};

export type ConversionResult = {
  svg: string;
  width: number;
  height: number;
  mode: 'color' | 'mono';
  params: TraceParams;
  /** null when skipQuality was set. */
  quality: QualityReport | null;
  bytes: number;
  paths: number;
  durationMs: number;
};
