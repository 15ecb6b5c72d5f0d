/** Where the bundled worker lives: dist/workers/ under the app root (the repo in dev, .next/standalone in prod). */
import { existsSync } from 'node:fs';
import path from 'node:path';

const WORKER_RELATIVE_PATH = path.join('dist', 'workers', 'convert-worker.mjs');

export function resolveWorkerFile(root = process.cwd()): string {
  const file = path.resolve(root, WORKER_RELATIVE_PATH);
  if (!existsSync(file)) {
    throw new Error(
      `Conversion worker bundle not found at ${file}. Run "npm run build:worker" (npm run build and npm run dev do it).`,
    );
  }
  return file;
}
