/**
 * Worker-thread entry of the conversion pool (bundled to dist/workers/convert-worker.mjs by
 * scripts/build-worker.mjs). Errors travel back as plain data because class instances do not survive
 * structured cloning between threads.
 */
import { routeConversion } from '@/lib/ai/router';
import { isConversionError } from '@/lib/errors/conversion-error';
import type { StageEvent } from '@/lib/vectorize/conversion-stage';
import type { ConvertReply, ConvertTask } from './protocol';

export default async function convertTask(task: ConvertTask): Promise<ConvertReply> {
  try {
    const image = Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength);
    const cancel = task.cancel;
    const cancelled = cancel && (() => Atomics.load(cancel, 0) === 1);
    const progress = task.progress;
    const onStage = progress && ((event: StageEvent) => progress.postMessage(event));
    const result = await routeConversion(image, task.request, { cancelled, onStage });
    return { ok: true, result };
  } catch (error) {
    if (isConversionError(error)) {
      return { ok: false, error: { kind: error.kind, message: error.message, details: error.details } };
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? error.stack : undefined;
    return { ok: false, error: { kind: 'internal', message, details: { stack } } };
  } finally {
    task.progress?.close();
  }
}
