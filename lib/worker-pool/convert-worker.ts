/**
 * Worker-thread entry of the conversion pool (bundled to dist/workers/convert-worker.mjs by
 * scripts/build-worker.mjs). Errors travel back as plain data because class instances do not survive
 * structured cloning between threads.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { routeConversion } from '@/lib/ai/router';
import { isConversionError } from '@/lib/errors/conversion-error';
import type { StageEvent } from '@/lib/vectorize/conversion-stage';
import type { ConvertReply, ConvertTask } from './protocol';

// libvips keeps recent operations and their decoded pixels for reuse (50 MB and 100 operations per process by
// default); a conversion never decodes the same bytes twice, so the cache only held memory. One libvips thread per
// operation: the pool already runs one conversion per core, and every extra thread is one more malloc arena.
sharp.cache(false);
sharp.concurrency(1);

// A large image leaves hundreds of MB of garbage in this thread's heap (pixel planes, masks, SSIM buffers), and an
// idle thread never collects it: the process stayed at its peak (1.4 GB) long after a burst. Collecting right after
// such a task returns the memory; it costs this thread a few ms, never the HTTP thread.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const LARGE_INPUT_BYTES = 512 * 1024;
const LARGE_IMAGE_PIXELS = 1_000_000;

export default async function convertTask(task: ConvertTask): Promise<ConvertReply> {
  try {
    const image = Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength);
    const cancel = task.cancel;
    const cancelled = cancel && (() => Atomics.load(cancel, 0) === 1);
    const progress = task.progress;
    const onStage = progress && ((event: StageEvent) => progress.postMessage(event));
    const result = await routeConversion(image, task.request, { cancelled, onStage });
    if (result.width * result.height > LARGE_IMAGE_PIXELS) setTimeout(collectGarbage, 0);
    return { ok: true, result };
  } catch (error) {
    if (task.image.byteLength > LARGE_INPUT_BYTES) setTimeout(collectGarbage, 0);
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
