/** Records each API conversion in the history (lib/db); a failing database never fails the conversion itself. */
import { randomUUID } from 'node:crypto';
import type { RoutedResult } from '@/lib/ai/types';
import { recordConversion, toConversionRecord } from '@/lib/db/conversions';
import { getLogger } from '@/lib/log';
import type { Caller } from '@/lib/auth/caller';

type ConversionInput = {
  hash: string;
  bytes: number;
  fileName?: string;
  source: 'web' | 'api';
  /** For anonymous callers: the hash of the browser's history cookie, so that browser can open it again. */
  browserTokenHash?: string | null;
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
    });
    const { id } = await recordConversion(record);
    return { id, saved: true };
  } catch (error) {
    getLogger().warn({ err: error }, 'conversion not recorded in history');
    return { id: randomUUID(), saved: false };
  }
}
