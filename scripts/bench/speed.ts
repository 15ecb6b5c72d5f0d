/** Times a whole-folder CLI run against imagetracerjs over the same files, each as a fresh process. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchImage } from '@/scripts/dataset';
import type { SpeedResult } from './summarize';

const countSvgs = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.svg')).length : 0;

/** Parses bash `times` output; its second line is the children's user and system time. */
function parseChildCpuMs(out: string): number | undefined {
  const line = out.trim().split('\n').at(-1) ?? '';
  const m = /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/.exec(line.trim());
  if (!m) return undefined;
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** Runs a command through bash so `times` can report its CPU time (user + system, all threads) beside wall time. */
function timed(cmd: string, args: string[], cwd: string, timeoutMs: number) {
  const started = performance.now();
  const r = spawnSync(
    'bash',
    ['-c', '"$@" >/dev/null; status=$?; times; exit $status', 'bash', cmd, ...args],
    {
      cwd,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        PATH: `${path.join(cwd, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      },
    },
  );
  return {
    ms: performance.now() - started,
    cpuMs: parseChildCpuMs(r.stdout ?? ''),
    status: r.status,
    stderr: r.stderr ?? '',
  };
}

/**
 * The machine is shared, so each side runs `repeats` times, alternating, and keeps its fastest run: the
 * least-disturbed measurement of each, taken under the same conditions.
 */
export function runSpeedComparison(
  images: BenchImage[],
  workDir: string,
  repoRoot: string,
  repeats = 2,
): SpeedResult {
  const inDir = path.join(workDir, 'input');
  const cliOut = path.join(workDir, 'cli-out');
  const itOut = path.join(workDir, 'imagetracer-out');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(inDir, { recursive: true });
  images.forEach((img, i) =>
    writeFileSync(
      path.join(inDir, `${String(i).padStart(4, '0')}-${img.category}-${img.background}.png`),
      img.png,
    ),
  );
  const result: SpeedResult = {
    images: images.length,
    repeats,
    cli: { ran: false, note: '' },
    imagetracer: { ran: false, note: '' },
  };
  const hasCli = existsSync(path.join(repoRoot, 'scripts', 'cli.ts'));
  if (!hasCli) result.cli.note = 'skipped: scripts/cli.ts does not exist yet';
  const cliRuns: number[] = [];
  const itRuns: number[] = [];
  const cliCpu: number[] = [];
  const itCpu: number[] = [];

  for (let r = 0; r < repeats; r++) {
    if (hasCli && !result.cli.note.startsWith('skipped')) {
      rmSync(cliOut, { recursive: true, force: true });
      const run = timed(
        'npm',
        ['run', '-s', 'cli', '--', 'convert', inDir, '--out-dir', cliOut],
        repoRoot,
        15 * 60_000,
      );
      const outputs = countSvgs(cliOut);
      if (outputs === 0) {
        const tail = run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200);
        result.cli = { ran: false, note: `skipped: the CLI produced no SVG (exit ${run.status}): ${tail}` };
      } else {
        cliRuns.push(run.ms);
        if (run.cpuMs !== undefined) cliCpu.push(run.cpuMs);
        result.cli = { ran: true, note: `exit ${run.status}`, exitCode: run.status, outputs };
      }
    }
    rmSync(itOut, { recursive: true, force: true });
    const it = timed(
      process.execPath,
      [path.join(repoRoot, 'scripts/bench/imagetracer-batch.mjs'), inDir, itOut],
      repoRoot,
      15 * 60_000,
    );
    if (it.status === 0) {
      itRuns.push(it.ms);
      if (it.cpuMs !== undefined) itCpu.push(it.cpuMs);
      result.imagetracer = { ran: true, note: 'exit 0', outputs: countSvgs(itOut) };
    } else {
      result.imagetracer = {
        ran: false,
        note: `failed (exit ${it.status}): ${it.stderr.trim().slice(0, 200)}`,
      };
    }
  }
  const runsNote = (runs: number[]) =>
    `runs ${runs.map((ms) => (ms / 1000).toFixed(1)).join(' s, ')} s, best kept`;
  if (result.cli.ran && cliRuns.length) {
    const best = Math.min(...cliRuns);
    result.cli = {
      ...result.cli,
      totalMs: best,
      perImageMs: best / images.length,
      cpuPerImageMs: cliCpu.length ? Math.min(...cliCpu) / images.length : undefined,
      note: `${result.cli.note}; ${runsNote(cliRuns)}`,
    };
    result.cli.startupMs = measureStartup(['npm', 'run', '-s', 'cli', '--', '--help'], repoRoot);
    const script = (
      JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      }
    ).scripts?.cli;
    if (script) result.cli.directStartupMs = measureStartup(['sh', '-c', `${script} --help`], repoRoot);
  }
  if (result.imagetracer.ran && itRuns.length) {
    const best = Math.min(...itRuns);
    result.imagetracer = {
      ...result.imagetracer,
      totalMs: best,
      perImageMs: best / images.length,
      cpuPerImageMs: itCpu.length ? Math.min(...itCpu) / images.length : undefined,
      note: runsNote(itRuns),
    };
  }
  return result;
}

/** Fastest of three `--help` runs, in ms; undefined if it fails. */
function measureStartup([cmd, ...args]: string[], cwd: string): number | undefined {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = timed(cmd, args, cwd, 60_000);
    if (r.status !== 0) return undefined;
    runs.push(r.ms);
  }
  return Math.min(...runs);
}
