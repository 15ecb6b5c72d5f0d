/**
 * One assembled release (scripts/deploy/assemble-release.mjs) per test file, built from this checkout's
 * `npm run build` output (built once, under a lock, when missing). Deploy tests install it as an artifact: `.next`
 * of a shared checkout may be rebuilt while the tests run, and building once then deploying the same artifact
 * is how hosts get releases.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Deploy tests need `npm run build` output; build once (under a lock) when it is missing. */
export function ensureBuild(): void {
  const built = () =>
    fs.existsSync(path.join(root, '.next/standalone/server.js')) &&
    fs.existsSync(path.join(root, '.next/BUILD_ID'));
  if (built()) return;
  const r = spawnSync('flock', ['/tmp/svgai-next-build.lock', 'npm', 'run', 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    timeout: 15 * 60_000,
  });
  if (r.status === 0) return;
  // Another build of this checkout (a developer, another suite) is running: wait for its output.
  if (/Another next build process is already running/.test(r.stdout + r.stderr)) {
    for (let i = 0; i < 600 && !built(); i++) execFileSync('sleep', ['1']);
    if (built()) return;
  }
  throw new Error(`npm run build failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
}

export type Artifact = { dir: string; report: { sizes: { totalBytes: number } } };

/** Assembles a release into a new temporary folder; remove it with removeArtifact. */
export function assembleArtifact(): Artifact {
  ensureBuild();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-artifact-'));
  fs.chmodSync(dir, 0o755);
  const out = path.join(dir, 'release');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'scripts/deploy/assemble-release.mjs'), out, '--release-id', 'artifact', '--json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`assemble-release failed: ${r.stderr}`);
  return { dir: out, report: JSON.parse(r.stdout) };
}

export function removeArtifact(artifact: Artifact | undefined): void {
  if (artifact) fs.rmSync(path.dirname(artifact.dir), { recursive: true, force: true });
}
