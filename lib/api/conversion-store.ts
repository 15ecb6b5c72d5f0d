/**
 * Records each API conversion in the history (lib/db) with its original and options; a failing database never
 * fails the conversion itself.
 */
import { randomUUID } from 'node:crypto';
import type { RoutedResult } from '@/lib/ai/types';
import { recordConversion, storeSourceImage, toConversionRecord } from '@/lib/db/conversions';
import { getLogger } from '@/lib/log';
import type { Caller } from '@/lib/auth/caller';

type ConversionInput = {
  hash: string;
  bytes: number;
  fileName?: string;
  source: 'web' | 'api';
  /** For anonymous callers: the hash of the browser's history cookie, so that browser can open it again. */
  browserTokenHash?: string | null;
  /** The options as parsed at the edge, kept so the result can be made again. */
  options?: Record<string, unknown>;
  /** The uploaded bytes, kept once per content so the history shows the original beside its SVG. */
  original?: { bytes: Buffer; mimeType: string };
};

/** Returns the history id, or a fresh unsaved id when the database is unavailable (logged). */
export async function storeConversion(
  result: RoutedResult,
  input: ConversionInput,
  caller: Caller,
): Promise<{ id: string; saved: boolean }> {
  try {
    const record = toConversionRecord(result, {
      hash: input.hash,
      bytes: input.bytes,
      fileName: input.fileName?.slice(0, 255) ?? null,
      source: input.source,
      userId: caller.kind === 'anonymous' ? null : caller.userId,
      apiKeyId: caller.kind === 'apiKey' && !caller.keyId.startsWith('static:') ? caller.keyId : null,
      browserTokenHash: caller.kind === 'anonymous' ? (input.browserTokenHash ?? null) : null,
      options: input.options ?? null,
      inputType: input.original?.mimeType ?? null,
    });
    // the original first: a conversion row never points at an original that is missing
    if (input.original) {
      await storeSourceImage({
        hash: input.hash,
        mimeType: input.original.mimeType,
        bytes: input.original.bytes,
      });
    }
    const { id } = await recordConversion(record);
    return { id, saved: true };
  } catch (error) {
    getLogger().warn({ err: error }, 'conversion not recorded in history');
    return { id: randomUUID(), saved: false };
  }
}
