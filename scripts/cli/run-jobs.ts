/**
 * Runs file jobs on up to `threads` threads (this one plus worker threads) and reports outcomes in input order.
 * Conversions are CPU-bound and independent, so a batch scales with cores; a worker costs a module load
 * (~0.5 s of CPU), so small batches, and runs straight from TypeScript source (tsx cannot load a .ts worker),
 * stay in-process.
 */
import { Worker } from 'node:worker_threads';
import { convertFile, errorLine, type FileJob, type FileOutcome } from './convert-file';

export const MIN_JOBS_PER_WORKER = 8;
/**
 * Files each thread works on at once: a conversion waits for decoding, model inference and file I/O off the
 * thread, and a second file's CPU work fills those gaps (they were ~6% of a one-thread batch).
 */
const IN_FLIGHT = 2;

export async function runJobs(
  jobs: FileJob[],
  threads: number,
  onOutcome: (outcome: FileOutcome, index: number) => void,
): Promise<void> {
  const emitter = new OrderedEmitter(onOutcome);
  const workers = import.meta.url.endsWith('.ts')
    ? 1
    : Math.min(threads, Math.floor(jobs.length / MIN_JOBS_PER_WORKER));
  let next = 0;
  const take = () => (next < jobs.length ? next++ : -1);
  const runHere = async () => {
    for (let i = take(); i >= 0; i = take()) emitter.push(i, await convertFile(jobs[i]));
  };
  const here = Array.from({ length: IN_FLIGHT }, runHere);
  if (workers <= 1) {
    await Promise.all(here);
    return;
  }
  const workerUrl = new URL('./convert-worker.mjs', import.meta.url);
  const runWorker = () =>
    new Promise<void>((resolve) => {
      let worker = new Worker(workerUrl);
      // Jobs sent and not yet answered. Each worker holds IN_FLIGHT jobs, which it converts interleaved, and never
      // waits for the main thread, which is busy converting its own share between messages.
      const held: number[] = [];
      const fill = () => {
        while (held.length < IN_FLIGHT) {
          const i = take();
          if (i < 0) break;
          held.push(i);
          worker.postMessage({ id: i, job: jobs[i] });
        }
        if (held.length === 0) {
          void worker.terminate();
          resolve();
        }
      };
      const attach = () => {
        worker.on('message', (msg: { id: number; outcome: FileOutcome }) => {
          held.splice(held.indexOf(msg.id), 1);
          emitter.push(msg.id, msg.outcome);
          fill();
        });
        // A crashed worker fails only the oldest file it held; a fresh worker takes the others and the rest.
        worker.on('error', (err) => {
          const failed = held.shift();
          if (failed !== undefined)
            emitter.push(failed, { ok: false, line: errorLine(jobs[failed].input, err) });
          worker = new Worker(workerUrl);
          attach();
          for (const i of held) worker.postMessage({ id: i, job: jobs[i] });
          fill();
        });
      };
      attach();
      fill();
    });
  // The main thread converts too: one worker fewer means one module load (~0.5 s of CPU) fewer.
  await Promise.all([...here, ...Array.from({ length: workers - 1 }, runWorker)]);
}

class OrderedEmitter {
  private readonly pending = new Map<number, FileOutcome>();
  private nextIndex = 0;
  constructor(private readonly emit: (outcome: FileOutcome, index: number) => void) {}

  push(index: number, outcome: FileOutcome) {
    this.pending.set(index, outcome);
    while (this.pending.has(this.nextIndex)) {
      const o = this.pending.get(this.nextIndex)!;
      this.pending.delete(this.nextIndex);
      this.emit(o, this.nextIndex++);
    }
  }
}
