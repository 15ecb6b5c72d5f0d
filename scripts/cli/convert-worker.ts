/** Worker thread of `cli convert`: converts the files the main thread sends, one at a time. */
import { parentPort } from 'node:worker_threads';
import { convertFile, type FileJob } from './convert-file';

parentPort?.on('message', async (msg: { id: number; job: FileJob }) => {
  const outcome = await convertFile(msg.job);
  parentPort?.postMessage({ id: msg.id, outcome });
});
