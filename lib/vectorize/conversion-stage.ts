/**
 * The stages a conversion reports while it runs (the API streams them to the browser's progress bar): queued for
 * a worker, decoding, analysing (features, classifier, predictor), tracing (quantize, trace, build the SVG) and
 * measuring (render back, SSIM). Tier 3 traces and measures once per search attempt.
 */
import { z } from 'zod';

export const conversionStageSchema = z
  .enum(['queued', 'decode', 'analyse', 'trace', 'measure'])
  .describe(
    'queued (waiting for a worker), decode, analyse (classify, predict), trace, measure (render, SSIM)',
  );

export type ConversionStage = z.infer<typeof conversionStageSchema>;

export type StageEvent = { stage: ConversionStage; attempt?: number };

/** Called as a conversion enters each stage; must not throw (a progress listener never fails a conversion). */
export type StageListener = (event: StageEvent) => void;
