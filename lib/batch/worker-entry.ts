/** Bundle entry of dist/workers/batch-worker.mjs (scripts/build-worker.mjs): starts a batch worker process. */
import { runBatchWorkerProcess } from './worker-main';

runBatchWorkerProcess().catch((err: unknown) => {
  console.error(`[worker] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
