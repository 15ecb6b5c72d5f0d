/** Counts the CPU cores other processes leave idle right now, so a batch only spreads onto cores nobody uses. */
import { availableParallelism, cpus } from 'node:os';

type CpuTotals = { idle: number; total: number };

function readCpuTotals(): CpuTotals {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/**
 * Samples system CPU time over `windowMs` and returns how many cores sat idle, as a fraction (0..cores).
 * This process's own CPU time in the window is counted as idle: it is the work we are about to spread.
 * The 1-minute load average reacts too slowly for this (a run that just ended still counts as a busy core
 * for a minute), which kept batches on one thread on an otherwise idle machine.
 */
export async function countIdleCores(windowMs = 100): Promise<number> {
  const cores = availableParallelism();
  const before = readCpuTotals();
  const ownBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = readCpuTotals();
  const own = process.cpuUsage(ownBefore);
  const total = after.total - before.total;
  if (total <= 0) return cores;
  const ownMs = (own.user + own.system) / 1000;
  const idleShare = Math.min(1, (after.idle - before.idle + ownMs) / total);
  return idleShare * cores;
}
