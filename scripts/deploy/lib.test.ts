/**
 * The process and proxy plumbing of scripts/deploy/lib.sh, run for real in bash: batch workers started as their
 * own process groups (SIGTERM reaches the worker behind a wrapper such as npm or sh, the deploy waits for the
 * whole group, SIGKILL only after WORKER_STOP_TIMEOUT), and the nginx switch, which must leave the previous
 * upstream in place when `nginx -t` refuses the new one. The worker command here is a small shell program that
 * behaves like `npm run worker` on SIGTERM (a wrapper with a child that finishes its job, then exits); the real
 * worker runs in zero-downtime.integration.test.ts when BATCH_WORKERS is set there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const lib = path.resolve(import.meta.dirname, 'lib.sh');
let root: string;

function bash(script: string, env: Record<string, string> = {}) {
  const r = spawnSync(
    'bash',
    ['-c', `set -euo pipefail; source ${lib}; SVGAI_ROOT=${root}; require_root_dir; ${script}`],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env } as unknown as NodeJS.ProcessEnv,
      timeout: 60_000,
    },
  );
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function writeEnv(lines: string[]): void {
  fs.writeFileSync(path.join(root, 'shared/.env'), [...lines, ''].join('\n'));
}

/** Running (a zombie waiting for its parent to reap it has ended). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-lib-'));
  fs.mkdirSync(path.join(root, 'shared'), { recursive: true });
  fs.mkdirSync(path.join(root, 'releases/rel-a'), { recursive: true });
});

afterEach(() => {
  // Anything a failed test left running: every recorded worker group.
  const dir = path.join(root, 'run/workers');
  if (fs.existsSync(dir))
    for (const f of fs.readdirSync(dir)) {
      try {
        process.kill(-Number(fs.readFileSync(path.join(dir, f), 'utf8')), 'SIGKILL');
      } catch {
        // gone
      }
    }
  fs.rmSync(root, { recursive: true, force: true });
});

describe('batch workers on a plain host', () => {
  it('start as process groups; SIGTERM reaches the child behind the wrapper and the stop waits for it', () => {
    const done = path.join(root, 'done');
    // The wrapper runs the "worker" as a child (like npm -> node). On SIGTERM the child finishes its job (1 s)
    // and records it; the wrapper exits with it.
    const worker = `sh -c 'sh -c "trap \\"sleep 1; echo \\$\\$ >> ${done}; exit 0\\" TERM; while :; do sleep 0.1; done" & wait; wait'`;
    writeEnv(['BATCH_WORKERS=2', `WORKER_COMMAND=${worker}`]);
    const start = bash(`start_workers green ${root}/releases/rel-a`);
    expect(start.status, start.err).toBe(0);
    const files = fs.readdirSync(path.join(root, 'run/workers')).sort();
    expect(files).toEqual(['green.1.pid', 'green.2.pid']);
    const pids = files.map((f) => Number(fs.readFileSync(path.join(root, 'run/workers', f), 'utf8')));
    for (const pid of pids) expect(alive(pid)).toBe(true);
    // Each is the leader of its own group (setsid), so the group signal reaches its children.
    for (const pid of pids)
      expect(Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2])).toBe(pid);

    const t0 = Date.now();
    const stop = bash('stop_workers green');
    expect(stop.status, stop.err).toBe(0);
    // It waited for the children to finish their job (>= 1 s), and both did, once each.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(fs.readFileSync(done, 'utf8').trim().split('\n')).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(fs.readdirSync(path.join(root, 'run/workers'))).toEqual([]);
  });

  it('a worker that ignores SIGTERM is killed after WORKER_STOP_TIMEOUT; a bad BATCH_WORKERS is refused', () => {
    writeEnv(['BATCH_WORKERS=1', `WORKER_COMMAND=sh -c 'trap "" TERM; while :; do sleep 0.1; done'`]);
    expect(bash(`start_workers blue ${root}/releases/rel-a`).status).toBe(0);
    const pid = Number(fs.readFileSync(path.join(root, 'run/workers/blue.1.pid'), 'utf8'));
    const stop = bash('stop_workers blue', { WORKER_STOP_TIMEOUT: '1' });
    expect(stop.status).toBe(0);
    expect(stop.err).toContain('did not stop in 1 s: SIGKILL');
    expect(alive(pid)).toBe(false);

    writeEnv(['BATCH_WORKERS=two']);
    const bad = bash(`start_workers blue ${root}/releases/rel-a`);
    expect(bad.status).not.toBe(0);
    expect(bad.err).toContain('BATCH_WORKERS must be a whole number');
    // None configured: nothing starts.
    writeEnv([]);
    expect(bash(`start_workers blue ${root}/releases/rel-a`).status).toBe(0);
    expect(fs.readdirSync(path.join(root, 'run/workers'))).toEqual([]);
  });
});

describe('switching nginx', () => {
  it('keeps the previous upstream and the active slot when nginx -t refuses the new one', () => {
    const n = path.join(root, 'nginx');
    fs.mkdirSync(n);
    fs.writeFileSync(
      path.join(n, 'nginx.conf'),
      `pid ${n}/nginx.pid; error_log ${n}/error.log; events {} http { upstream svgai_app { include ${n}/upstream.conf; } server { listen 127.0.0.1:8519; location / { proxy_pass http://svgai_app; } } }\n`,
    );
    const before = 'server 127.0.0.1:3518;\n';
    fs.writeFileSync(path.join(n, 'upstream.conf'), before);
    fs.writeFileSync(path.join(root, 'active-slot'), 'blue\n');
    const env = [
      'BLUE_PORT=3518',
      `NGINX_UPSTREAM_FILE=${n}/upstream.conf`,
      `NGINX_CONF=${n}/nginx.conf`,
      'PROXY_SETTLE_SECONDS=0',
    ];
    // An upstream host nginx cannot resolve: `nginx -t` fails, nothing may change.
    writeEnv([...env, 'UPSTREAM_HOST=no-such-host.invalid']);
    const bad = bash('switch_proxy green');
    expect(bad.status).not.toBe(0);
    expect(bad.err).toContain('nginx -t refused');
    expect(fs.readFileSync(path.join(n, 'upstream.conf'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(root, 'active-slot'), 'utf8').trim()).toBe('blue');
    // A valid upstream passes nginx -t; nginx is not running here, so the reload fails and is undone as well.
    writeEnv(env);
    const noNginx = bash('switch_proxy green');
    expect(noNginx.status).not.toBe(0);
    expect(noNginx.err).toContain('nginx -s reload failed');
    expect(fs.readFileSync(path.join(n, 'upstream.conf'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(root, 'active-slot'), 'utf8').trim()).toBe('blue');
  });

  it('without NGINX_UPSTREAM_FILE it only records the slot and says where it answers', () => {
    writeEnv(['BLUE_PORT=3516']);
    const r = bash('switch_proxy green; active_slot; slot_port green');
    expect(r.status, r.err).toBe(0);
    expect(r.err).toContain('NGINX_UPSTREAM_FILE is not set');
    expect(r.out.trim().split('\n')).toEqual(['green', '3517']);
  });
});
