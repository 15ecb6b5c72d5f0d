/** Messages between the API process and the conversion workers (structured-clone safe, no class instances). */
import type { RoutedResult, RouteRequest } from '@/lib/ai/types';
import type { ConversionErrorKind } from '@/lib/errors/conversion-error';

export type ConvertTask = { image: Uint8Array; request: RouteRequest };

export type ConvertReply =
  | { ok: true; result: RoutedResult }
  | { ok: false; error: { kind: ConversionErrorKind; message: string; details?: Record<string, unknown> } };
