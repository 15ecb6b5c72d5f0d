/**
 * Load shedding for uploads, decided before a byte of the body is read: a full conversion queue, or a spent
 * upload memory budget, is a 503 with Retry-After. Without it a burst of large uploads was read whole first
 * (60 x 10 MB took the process from 529 MB to 1.7 GB) only to be refused afterwards.
 */
import { getConfig } from '@/lib/config';
import { recordShedRequest } from '@/lib/metrics';
import { convertPoolHasRoom } from '@/lib/worker-pool';
import { ApiError } from './problem';

/** A budget of bytes shared by the requests in flight; each holds its reservation until it is answered. */
export class UploadBudget {
  #free: number;
  readonly total: number;

  constructor(totalBytes: number) {
    this.total = totalBytes;
    this.#free = totalBytes;
  }

  get free(): number {
    return this.#free;
  }

  /** A release function when `bytes` fit, else null. A request larger than the whole budget never fits. */
  tryReserve(bytes: number): (() => void) | null {
    if (bytes > this.#free) return null;
    this.#free -= bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#free += bytes;
    };
  }
}

const KEY = Symbol.for('svgai.api.uploadBudget');

function processBudget(): UploadBudget {
  const holder = globalThis as { [KEY]?: UploadBudget };
  holder[KEY] ??= new UploadBudget(getConfig().limits.uploadMemoryBytes);
  return holder[KEY];
}

function overloaded(detail: string, retryAfterSeconds: number): ApiError {
  return new ApiError(503, 'overloaded', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
}

/**
 * Admits an upload of at most `capBytes` (its Content-Length when it declares a smaller one) or throws the 503.
 * Returns the release to call once the request is answered: its bytes (read, queued, converted) count until then.
 */
export function admitUpload(
  request: Request,
  capBytes: number,
  options: { budget?: UploadBudget; poolHasRoom?: () => boolean } = {},
): () => void {
  if (!(options.poolHasRoom ?? convertPoolHasRoom)()) {
    recordShedRequest('queue-full');
    throw overloaded('All conversion workers are busy and the queue is full; retry shortly.', 2);
  }
  const declared = request.headers.get('content-length');
  const bytes = declared !== null && /^\d+$/.test(declared) ? Math.min(Number(declared), capBytes) : capBytes;
  const budget = options.budget ?? processBudget();
  // One upload as large as the whole budget may still come in, alone.
  const release = budget.tryReserve(Math.min(bytes, budget.total));
  if (!release) {
    recordShedRequest('upload-memory');
    throw overloaded('Too many uploads are being received at once; retry shortly.', 2);
  }
  return release;
}
