import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function runChild(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string[]; signalAt: number; exitAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/drain-child.ts'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    const out: string[] = [];
    let signalAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        out.push(line);
        if (line === 'ready') {
          signalAt = Date.now();
          child.kill('SIGTERM');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, signalAt, exitAt: Date.now() }));
  });
}

describe('graceful shutdown', () => {
  it('waits for in-flight work, then closes hooks in reverse order and exits 0', async () => {
    const r = await runChild({ REQUEST_MS: '400' });
    expect(r.out).toEqual(['ready', 'queue drained', 'request finished', 'closed redis', 'closed database']);
    expect(r.code).toBe(0);
    expect(r.exitAt - r.signalAt).toBeGreaterThanOrEqual(350);
  });

  it('gives up after the timeout, still closes resources, and exits 1', async () => {
    const r = await runChild({ REQUEST_MS: '20000', DRAIN_TIMEOUT_MS: '300' });
    expect(r.out).toEqual(['ready', 'queue drained', 'closed redis', 'closed database']);
    expect(r.code).toBe(1);
  });
});
