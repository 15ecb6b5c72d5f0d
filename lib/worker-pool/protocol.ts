/** Messages between the API process and the conversion workers (structured-clone safe, no class instances). */
import type { ConversionRequest } from '@/lib/ai/request';
import type { RoutedResult } from '@/lib/ai/types';
import type { ConversionErrorKind } from '@/lib/errors/conversion-error';
import type { MessagePort } from 'node:worker_threads';

export type ConvertTask = {
  image: Uint8Array;
  request: ConversionRequest;
  /**
   * One Int32 on a SharedArrayBuffer: the API sets it to 1 when nobody wants the result any more, and the worker
   * stops at its next checkpoint. Workers are never terminated mid-task: native addons (sharp, onnxruntime) that
   * finish async work in a terminating thread abort the whole process.
   */
  cancel?: Int32Array;
  /** Where the worker posts a StageEvent as the conversion enters each stage (absent: nobody listens). */
  progress?: MessagePort;
};

export type ConvertReply =
  | { ok: true; result: RoutedResult }
  | { ok: false; error: { kind: ConversionErrorKind; message: string; details?: Record<string, unknown> } };
