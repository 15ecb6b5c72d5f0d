/**
 * The contract of the conversion engine, shared by the CLI, the API, the worker pool, the AI router and the
 * benchmark. The engine (lib/vectorize/convert-image.ts) implements it; its inputs are zod schemas
 * (lib/vectorize/params.ts: TraceParams with each parameter's range and effect; convert-options.ts: the options).
 */

export type { ConversionMode, EngineOptions } from './convert-options';
export type { TraceParams, TraceParamsOverrides } from './params';
import type { TraceParams } from './params';

export type QualityReport = {
  /** RGB-SSIM: mean of per-channel SSIMs (Gaussian 11x11, sigma 1.5), composited over white. */
  ssim: number;
  /** SSIM on luminance (BT.601). */
  ssimLuma: number;
  /** PSNR in dB over RGB (Infinity when identical, capped at 100 in JSON). */
  psnr: number;
  /**
   * GMSD (Xue et al. 2014) on luminance: edge error, 0 = every edge in place, higher = worse (at most 0.5).
   * SSIM forgives a dropped inner edge when the average colour stays; this does not.
   */
  gmsd: number;
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
