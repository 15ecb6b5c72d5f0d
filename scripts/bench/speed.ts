/** Times a whole-folder CLI run against imagetracerjs over the same files, each as a fresh process. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchImage } from '@/lib/dataset';
import type { SpeedResult } from './summarize';

const countSvgs = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.svg')).length : 0;

function timed(cmd: string, args: string[], cwd: string, timeoutMs: number) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, status: r.status, stderr: r.stderr ?? '', error: r.error };
}

export function runSpeedComparison(images: BenchImage[], workDir: string, repoRoot: string): SpeedResult {
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
    cli: { ran: false, note: '' },
    imagetracer: { ran: false, note: '' },
  };

  if (!existsSync(path.join(repoRoot, 'scripts', 'cli.ts'))) {
    result.cli.note = 'skipped: scripts/cli.ts does not exist yet';
  } else {
    const help = timed('npm', ['run', '-s', 'cli', '--', '--help'], repoRoot, 60_000);
    const run = timed(
      'npm',
      ['run', '-s', 'cli', '--', 'convert', inDir, '--out-dir', cliOut],
      repoRoot,
      15 * 60_000,
    );
    const outputs = countSvgs(cliOut);
    if (outputs === 0) {
      result.cli.note = `skipped: the CLI produced no SVG (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
    } else {
      result.cli = {
        ran: true,
        note: run.status === 0 ? 'exit 0' : `exit ${run.status}`,
        totalMs: run.ms,
        perImageMs: run.ms / images.length,
        exitCode: run.status,
        outputs,
        startupMs: help.status === 0 ? help.ms : undefined,
      };
    }
  }

  const it = timed(
    process.execPath,
    [path.join(repoRoot, 'scripts/bench/imagetracer-batch.mjs'), inDir, itOut],
    repoRoot,
    15 * 60_000,
  );
  const itOutputs = countSvgs(itOut);
  result.imagetracer =
    it.status === 0
      ? { ran: true, note: 'exit 0', totalMs: it.ms, perImageMs: it.ms / images.length, outputs: itOutputs }
      : { ran: false, note: `failed (exit ${it.status}): ${it.stderr.trim().slice(0, 200)}` };
  return result;
}
