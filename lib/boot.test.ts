// The composition root in a child process, as instrumentation.ts runs it: it refuses a bad configuration with
// exit 1, and on a good one registers the health checks and the shutdown hooks before it returns.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const script = `
  const { bootServer } = await import('./lib/boot.ts');
  await bootServer();
  const { listHealthChecks } = await import('./lib/health/registry.ts');
  console.log('checks ' + JSON.stringify(listHealthChecks().map((c) => c.name)));
  process.exit(0);
`;

function boot(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bootServer', () => {
  it('refuses to start on a bad setting, naming it, with exit 1', () => {
    const r = boot({ PORT: 'eighty', METRICS_TOKEN: 'short-secret' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[svgai] refusing to start. Invalid configuration:');
    expect(r.stderr).toMatch(/PORT: .*number/);
    expect(r.stderr).toMatch(/METRICS_TOKEN: must be at least 16 characters/);
    expect(r.stderr).not.toContain('short-secret');
    expect(r.stdout).not.toContain('checks');
  });

  it('registers every default health check before it returns', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-boot-'));
    try {
      const r = boot({ DATABASE_URL: `file:${path.join(dir, 'app.db')}`, DATA_DIR: dir, CACHE_TYPE: 'disk' });
      expect(r.status, r.stderr).toBe(0);
      const names = JSON.parse(/^checks (.*)$/m.exec(r.stdout)?.[1] ?? '[]') as string[];
      expect(names.sort()).toEqual(
        [
          'cache',
          'database',
          'disk.cache',
          'disk.data',
          'engine',
          'eventLoop',
          'models',
          'process',
          'system',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
