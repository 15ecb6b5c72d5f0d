/**
 * The conversion worker pool (piscina): conversions run on worker threads so the event loop stays free for
 * health checks and other requests, and a bounded queue turns overload into a 503 instead of memory growth.
 */
import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import Piscina from 'piscina';
import type { ConversionRequest } from '@/lib/ai/request';
import type { RoutedResult } from '@/lib/ai/types';
import { getConfig } from '@/lib/config';
import { ConversionError } from '@/lib/errors/conversion-error';
import { onShutdown, registerBusySource } from '@/lib/lifecycle';
import { setQueueDepth } from '@/lib/metrics';
import type { StageEvent, StageListener } from '@/lib/vectorize/conversion-stage';
import type { ConvertReply, ConvertTask } from './protocol';
import { traceWorkerDependencies } from './trace-worker-deps';
import { resolveWorkerFile } from './worker-file';

export { resolveWorkerFile } from './worker-file';

// An opaque condition the bundler cannot drop, which never holds: see trace-worker-deps.ts.
if (process.env.SVGAI_TRACE_WORKER_DEPS === 'never-set-this') void traceWorkerDependencies();

type PoolSettings = {
  workers: number;
  queueSize: number;
  /** Tasks each thread interleaves (default 1); a second one fills a thread's waits on native work and I/O. */
  tasksPerThread?: number;
  filename?: string;
  /**
   * Idle time after which threads that ran a large conversion are replaced by fresh ones (default 5 s): a thread
   * keeps hundreds of MB of freed memory after a large image (V8 and malloc keep it), which only its exit returns.
   */
  recycleAfterIdleMs?: number;
};

export type PoolStats = {
  threads: number;
  busy: number;
  queued: number;
  maxQueue: number;
  completed: number;
  /** Times the threads were replaced after large conversions. */
  recycles: number;
};

/** A conversion this large (input bytes or pixels) leaves its thread holding memory worth returning. */
const LARGE_INPUT_BYTES = 512 * 1024;
const LARGE_IMAGE_PIXELS = 1_000_000;

export class ConvertPool {
  #pool: Piscina<ConvertTask, ConvertReply>;
  readonly #settings: PoolSettings;
  readonly #maxQueue: number;
  /** Whether a thread of the current pool ran a large conversion since it started. */
  #holdsLargeMemory = false;
  #recycleTimer: NodeJS.Timeout | null = null;
  #recycles = 0;
  /** Tasks completed by the pools already replaced. */
  #completedBefore = 0;
  /** The cancel flags of the tasks accepted and not yet finished (running + queued): one per task. */
  readonly #cancels = new Set<Int32Array>();

  constructor(settings: PoolSettings) {
    this.#settings = settings;
    this.#maxQueue = settings.queueSize;
    this.#pool = this.#startThreads();
  }

  #startThreads(): Piscina<ConvertTask, ConvertReply> {
    const settings = this.#settings;
    return new Piscina<ConvertTask, ConvertReply>({
      filename: settings.filename ?? resolveWorkerFile(),
      minThreads: settings.workers,
      maxThreads: settings.workers,
      maxQueue: settings.queueSize,
      concurrentTasksPerWorker: settings.tasksPerThread ?? 1,
      // Workers keep their warm engine (sharp caches, ONNX sessions) instead of being recycled.
      idleTimeout: 5 * 60_000,
      // Conversion threads run at a lower CPU priority than the HTTP thread, so health checks and light
      // requests stay fast when every core is busy converting (Linux nice is per thread).
      niceIncrement: 10,
    });
  }

  /** After a large conversion, once the pool has been idle for a while, fresh threads replace the current ones. */
  #scheduleRecycle(): void {
    if (!this.#holdsLargeMemory || this.pending() > 0) return;
    if (this.#recycleTimer) clearTimeout(this.#recycleTimer);
    this.#recycleTimer = setTimeout(() => {
      this.#recycleTimer = null;
      if (this.pending() > 0) return; // busy again: the task that ends last schedules the next try
      const retired = this.#pool;
      this.#completedBefore += retired.completed;
      this.#pool = this.#startThreads();
      this.#holdsLargeMemory = false;
      this.#recycles += 1;
      void retired.close();
    }, this.#settings.recycleAfterIdleMs ?? 5_000);
    this.#recycleTimer.unref();
  }

  /**
   * Converts on a worker; refuses with ConversionError('overloaded') when every worker and queue slot is taken.
   * When `signal` aborts, the returned promise rejects at once with the signal's reason and the worker stops at
   * its next checkpoint (a queued task never starts); the slot counts as taken until the worker has stopped.
   */
  async convert(
    image: Buffer,
    request: ConversionRequest,
    signal?: AbortSignal,
    onStage?: StageListener,
  ): Promise<RoutedResult> {
    signal?.throwIfAborted();
    if (this.pending() >= this.#pool.maxThreads + this.#maxQueue) {
      throw new ConversionError(
        'overloaded',
        'All conversion workers are busy and the queue is full; retry shortly.',
      );
    }
    // Copy into a standalone buffer that can be transferred (zero-copy) to the worker.
    const bytes = new Uint8Array(image.byteLength);
    bytes.set(image);
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    this.#cancels.add(cancel);
    setQueueDepth(this.#pool.queueSize);
    // stages come back on a port of their own; the worker closes its end when the task ends
    const channel = onStage ? new MessageChannel() : null;
    if (channel && onStage) {
      channel.port1.on('message', (event: StageEvent) => onStage(event));
      channel.port1.unref();
      onStage({ stage: 'queued' });
    }
    const transferList: TransferListItem[] = channel ? [bytes.buffer, channel.port2] : [bytes.buffer];
    // no `signal` for piscina: it would terminate a running worker, which native addons do not survive
    if (bytes.byteLength > LARGE_INPUT_BYTES) this.#holdsLargeMemory = true;
    const task = this.#pool
      .run(
        { image: bytes, request, cancel, ...(channel ? { progress: channel.port2 } : {}) },
        { transferList },
      )
      .finally(() => {
        this.#cancels.delete(cancel);
        setQueueDepth(this.#pool.queueSize);
        channel?.port1.close();
        this.#scheduleRecycle();
      });
    let reply: ConvertReply;
    try {
      reply = await (signal ? untilAborted(task, signal, () => Atomics.store(cancel, 0, 1)) : task);
    } catch (error) {
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        throw new ConversionError(
          'overloaded',
          'All conversion workers are busy and the queue is full; retry shortly.',
        );
      }
      throw error;
    }
    if (reply.ok && reply.result.width * reply.result.height > LARGE_IMAGE_PIXELS) {
      this.#holdsLargeMemory = true;
      this.#scheduleRecycle();
    }
    if (!reply.ok) throw new ConversionError(reply.error.kind, reply.error.message, reply.error.details);
    return reply.result;
  }

  /** Conversions accepted and not yet finished (running + queued). */
  pending(): number {
    return this.#cancels.size;
  }

  /** Whether convert() would accept one more conversion now (a free thread or queue slot). */
  hasRoom(): boolean {
    return this.pending() < this.#pool.maxThreads + this.#maxQueue;
  }

  stats(): PoolStats {
    return {
      threads: this.#pool.threads.length,
      busy: Math.min(this.pending(), this.#pool.maxThreads),
      queued: this.#pool.queueSize,
      maxQueue: this.#maxQueue,
      completed: this.#completedBefore + this.#pool.completed,
      recycles: this.#recycles,
    };
  }

  /**
   * Drops the queued tasks, asks the running ones to stop at their next checkpoint, and resolves once every
   * thread has stopped (piscina waits for started tasks instead of terminating them).
   */
  async close(): Promise<void> {
    if (this.#recycleTimer) clearTimeout(this.#recycleTimer);
    this.#recycleTimer = null;
    this.#holdsLargeMemory = false;
    for (const cancel of this.#cancels) Atomics.store(cancel, 0, 1);
    await this.#pool.close({ force: true });
  }
}

/**
 * `task`, or a rejection with the signal's reason as soon as `signal` aborts (calling `onAbort` first); the task
 * then runs on unobserved, its outcome ignored.
 */
function untilAborted<T>(task: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    task.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

const KEY = Symbol.for('svgai.convertPool');
type Holder = { [KEY]?: ConvertPool };

/** The process-wide pool, sized from config (WORKERS, QUEUE_SIZE); survives hot reload on globalThis. */
export function getConvertPool(): ConvertPool {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const { performance } = getConfig();
    const pool = new ConvertPool({ workers: performance.workers, queueSize: performance.queueSize });
    holder[KEY] = pool;
    // Shutdown waits for accepted conversions, then stops the threads.
    registerBusySource('convert-pool', () => pool.pending());
    onShutdown('convert-pool', async () => {
      delete holder[KEY];
      await pool.close();
    });
  }
  return holder[KEY];
}

/**
 * Whether the process-wide pool would accept a conversion now, without creating it. The API asks before it
 * reads an upload's body, so a full queue is answered without holding the bytes.
 */
export function convertPoolHasRoom(): boolean {
  return (globalThis as Holder)[KEY]?.hasRoom() ?? true;
}

/** Pool statistics for health and metrics, without creating the pool as a side effect. */
export function getConvertPoolStats(): PoolStats | null {
  return (globalThis as Holder)[KEY]?.stats() ?? null;
}
