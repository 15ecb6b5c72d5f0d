/**
 * Runs file jobs on up to `threads` worker threads and reports outcomes in input order. Conversions are
 * CPU-bound and independent, so a batch scales with cores; a worker costs a module load (~0.5 s of CPU), so
 * small batches, and runs straight from TypeScript source (tsx cannot load a .ts worker), stay in-process.
 */
import { Worker } from 'node:worker_threads';
import { convertFile, errorLine, type FileJob, type FileOutcome } from './convert-file';

export const MIN_JOBS_PER_WORKER = 8;

export async function runJobs(
  jobs: FileJob[],
  threads: number,
  onOutcome: (outcome: FileOutcome, index: number) => void,
): Promise<void> {
  const emitter = new OrderedEmitter(onOutcome);
  const workers = import.meta.url.endsWith('.ts')
    ? 1
    : Math.min(threads, Math.floor(jobs.length / MIN_JOBS_PER_WORKER));
  if (workers <= 1) {
    for (let i = 0; i < jobs.length; i++) emitter.push(i, await convertFile(jobs[i]));
    return;
  }
  let next = 0;
  const workerUrl = new URL('./convert-worker.mjs', import.meta.url);
  const runWorker = () =>
    new Promise<void>((resolve) => {
      let worker = new Worker(workerUrl);
      let current = -1;
      const dispatch = () => {
        if (next >= jobs.length) {
          void worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage({ id: current, job: jobs[current] });
      };
      const attach = () => {
        worker.on('message', (msg: { id: number; outcome: FileOutcome }) => {
          emitter.push(msg.id, msg.outcome);
          dispatch();
        });
        // A crashed worker fails only the file it held; a fresh worker takes the rest.
        worker.on('error', (err) => {
          if (current >= 0) emitter.push(current, { ok: false, line: errorLine(jobs[current].input, err) });
          worker = new Worker(workerUrl);
          attach();
          dispatch();
        });
      };
      attach();
      dispatch();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
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
