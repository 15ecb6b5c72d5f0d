/** Times extractFeatures on 256 px synthetic images (target: under 10 ms each); prints p50/p95 per image kind. */
import { extractFeatures } from '@/lib/ai/features';
import { makeFlatSquare, makeGradient, makeNoise, makeStrokes } from '@/scripts/dataset/synthetic-images';

const kinds = {
  flat: makeFlatSquare(256),
  gradient: makeGradient(256),
  noise: makeNoise(256),
  strokes: makeStrokes(256, 256),
};
for (let i = 0; i < 20; i++) for (const img of Object.values(kinds)) extractFeatures(img);
for (const [name, img] of Object.entries(kinds)) {
  const times: number[] = [];
  // CPU time too: on a shared machine wall time includes waiting for a core
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    extractFeatures(img);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000 / 100;
  console.log(
    `${name.padEnd(9)} 256px  wall p50 ${times[50].toFixed(2)} ms  p95 ${times[95].toFixed(2)} ms  cpu mean ${cpuMs.toFixed(2)} ms`,
  );
}
