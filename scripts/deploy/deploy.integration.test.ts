/**
 * The deploy path for real: releases of this checkout are deployed into a temporary host layout with the
 * standalone server, rolled back, and a failing release is rolled back automatically, on SQLite and on a fresh
 * PostgreSQL database; row counts and a stored conversion are checked after each step. A second suite starts
 * the image's runtime layout (assembled release, non-root user, entrypoint migrations, models) directly.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { createPostgresDatabase, dropPostgresDatabase } from '@/scripts/db/postgres-admin.mjs';
import { createApiKey } from '@/lib/auth/api-keys';
import { createDbClient } from '@/lib/db/client';
import { createUser } from '@/lib/db/users';
import { testPostgresAdminUrl } from '@/test/support/test-databases';
import { assembleArtifact, removeArtifact, type Artifact } from '@/test/support/release-artifact';

const root = path.resolve(import.meta.dirname, '../..');
const deployDir = path.join(root, 'scripts/deploy');

let artifact: Artifact | undefined;

function releaseArtifact(): Artifact {
  artifact ??= assembleArtifact();
  return artifact;
}

afterAll(() => removeArtifact(artifact));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Only what a shell on a deploy host has: the test runner's own variables (NODE_ENV=test...) must not leak in.
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    LANG: 'C.UTF-8',
    ...extra,
  } as unknown as NodeJS.ProcessEnv;
}

type Run = { status: number | null; out: string };
/** As root (CI), the deployed server runs as `nobody`, like the image's non-root user. */
const RUN_AS: Record<string, string> = process.getuid?.() === 0 ? { RUN_AS: 'nobody' } : {};

function script(
  name: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 240_000,
): Run {
  const r = spawnSync('bash', [path.join(deployDir, name), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: cleanEnv({ ...RUN_AS, ...extraEnv }),
    timeout: timeoutMs,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  // A pooled keep-alive socket to a server that a deploy or rollback replaced fails once: retry on a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
      return { status: res.status, body: await res.text() };
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

function currentRelease(dir: string): string {
  return path.basename(fs.readlinkSync(path.join(dir, 'current')));
}

function stopServer(dir: string): void {
  for (const slot of ['blue', 'green']) stopPidFile(path.join(dir, `run/${slot}.pid`));
}

function stopPidFile(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const SMOKE_ID = /CONVERSION_ID=(\S+)/;

describe.each(['sqlite', 'postgresql'] as const)('deploy and rollback on %s', (kind) => {
  let dir: string;
  let port: number;
  let greenPort: number;
  let dbUrl: string;
  let pgName: string | undefined;
  const metricsToken = `metrics-${randomBytes(12).toString('hex')}`;
  let apiKey: string;
  const withKey = () => ({ SMOKE_API_KEY: apiKey });
  const auth = () => ({ authorization: `Bearer ${apiKey}` });

  /** Row count of the history table, read straight from the database the deployed server uses. */
  function conversionCount(): number {
    if (kind === 'postgresql') {
      return Number(
        execFileSync('psql', [dbUrl, '-XAtqc', 'SELECT count(*) FROM "Conversion"'], {
          encoding: 'utf8',
        }).trim(),
      );
    }
    const out = execFileSync(
      process.execPath,
      ['scripts/deploy/sqlite-backup.mjs', 'counts', dbUrl.slice('file:'.length)],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    return JSON.parse(out).tables.Conversion;
  }

  let art: string;

  beforeAll(async () => {
    art = releaseArtifact().dir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `svgai-deploy-${kind}-`));
    fs.chmodSync(dir, 0o755);
    port = await freePort();
    greenPort = await freePort();
    if (kind === 'postgresql') {
      pgName = `svgai_deploy_${randomBytes(5).toString('hex')}`;
      dbUrl = await createPostgresDatabase(testPostgresAdminUrl(), pgName);
    } else {
      dbUrl = `file:${dir}/shared/data/app.db`;
    }
    fs.mkdirSync(path.join(dir, 'shared'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'shared/.env'),
      [
        'ENVIRONMENT=production',
        `APP_URL=http://127.0.0.1:${port}`,
        `PORT=${port}`,
        `GREEN_PORT=${greenPort}`,
        'HOST=127.0.0.1',
        `DATABASE_URL=${dbUrl}`,
        'CACHE_TYPE=memory',
        'WORKERS=1',
        'RATE_LIMIT_ANONYMOUS=0',
        `METRICS_TOKEN=${metricsToken}`,
        '',
      ].join('\n'),
    );
    // An operator's API key, so the smoke conversions belong to it and can be read back through the API.
    fs.mkdirSync(path.join(dir, 'shared/data'), { recursive: true });
    await applyMigrations({ databaseUrl: dbUrl, log: () => {} });
    const handle = createDbClient(dbUrl);
    const user = await createUser({ email: `ops-${kind}@example.com`, name: 'ops' }, handle.db);
    apiKey = (await createApiKey(user.id, 'smoke test', ['convert', 'history:read'], handle.db)).key;
    await handle.db.$disconnect();
  }, 20 * 60_000);

  afterAll(async () => {
    if (dir) stopServer(dir);
    if (pgName) await dropPostgresDatabase(testPostgresAdminUrl(), pgName);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'deploys two releases, rolls back to the first with its database, and auto-rolls back a bad release',
    async () => {
      const base = `http://127.0.0.1:${port}`;

      const a = script(
        'deploy.sh',
        ['--root', dir, '--release-id', 'rel-a', '--artifact', art, '--timeout', '120'],
        withKey(),
      );
      expect(a.status, a.out).toBe(0);
      expect(currentRelease(dir)).toBe('rel-a');
      const idA = SMOKE_ID.exec(a.out)?.[1];
      expect(idA, a.out).toBeTruthy();
      expect(conversionCount()).toBe(1);

      // Deploying the current release again changes nothing.
      const again = script('deploy.sh', ['--root', dir, '--release-id', 'rel-a', '--artifact', art]);
      expect(again.status, again.out).toBe(0);
      expect(again.out).toContain('already current');

      const b = script(
        'deploy.sh',
        ['--root', dir, '--release-id', 'rel-b', '--artifact', art, '--timeout', '120'],
        withKey(),
      );
      expect(b.status, b.out).toBe(0);
      expect(currentRelease(dir)).toBe('rel-b');
      const idB = SMOKE_ID.exec(b.out)?.[1];
      expect(idB).toBeTruthy();
      expect(conversionCount()).toBe(2);

      // Blue/green without a proxy: rel-b runs in the green slot, rel-a's blue slot was drained and stopped.
      expect(fs.readFileSync(path.join(dir, 'active-slot'), 'utf8').trim()).toBe('green');
      expect(fs.existsSync(path.join(dir, 'run/blue.pid'))).toBe(false);
      expect(b.out).toContain('NGINX_UPSTREAM_FILE is not set');
      expect((await get(`http://127.0.0.1:${greenPort}/api/health/ready`)).status).toBe(200);

      // --restore-data: the database goes back to the backup taken before rel-b (the servers stop meanwhile).
      const back = script('rollback.sh', ['--root', dir, '--restore-data', '--timeout', '120']);
      expect(back.status, back.out).toBe(0);
      expect(currentRelease(dir)).toBe('rel-a');
      expect(fs.readFileSync(path.join(dir, 'active-slot'), 'utf8').trim()).toBe('blue');
      expect(back.out).toContain('restore verified');
      expect(conversionCount()).toBe(1);
      expect((await get(`${base}/api/health/ready`)).status).toBe(200);
      const storedA = await get(`${base}/api/v1/conversions/${idA}`, auth());
      expect(storedA.status, storedA.body).toBe(200);
      expect(JSON.parse(storedA.body).svg).toMatch(/^<svg/);
      expect((await get(`${base}/api/v1/conversions/${idB}`, auth())).status).toBe(404);

      // A release whose smoke test fails (the "image" is text: 415) is rolled back automatically.
      const notAnImage = path.join(dir, 'not-an-image.png');
      fs.writeFileSync(notAnImage, 'this is not a PNG');
      const bad = script(
        'deploy.sh',
        ['--root', dir, '--release-id', 'rel-c', '--artifact', art, '--smoke-image', notAnImage],
        withKey(),
      );
      expect(bad.status).not.toBe(0);
      expect(bad.out).toContain('DEPLOY FAILED: smoke test failed');
      expect(bad.out).toContain('rolled back to rel-a');
      // The bad release ran beside rel-a, which never stopped serving and kept its slot.
      expect(bad.out).toContain('it kept serving in slot blue');
      expect(bad.out).not.toContain('stopping slot blue');
      expect(fs.readFileSync(path.join(dir, 'active-slot'), 'utf8').trim()).toBe('blue');
      expect(fs.existsSync(path.join(dir, 'run/green.pid'))).toBe(false);
      expect(currentRelease(dir)).toBe('rel-a');
      expect(conversionCount()).toBe(1);
      expect((await get(`${base}/api/health/ready`)).status).toBe(200);
      expect((await get(`${base}/api/v1/conversions/${idA}`, auth())).status).toBe(200);
      const metrics = await get(`${base}/api/metrics`, { authorization: `Bearer ${metricsToken}` });
      expect(metrics.status).toBe(200);
      expect((await get(`${base}/api/metrics`)).status).toBe(401);
    },
    15 * 60_000,
  );
});

describe('the image runtime layout', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let logs = '';

  beforeAll(() => {
    releaseArtifact();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-image-'));
    fs.chmodSync(dir, 0o755);
  }, 20 * 60_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'starts as a non-root user on a read-only app folder, migrates, passes its health checks, and drains on SIGTERM',
    async () => {
      const app = path.join(dir, 'app');
      const data = path.join(dir, 'data');
      const { dir: release, report } = releaseArtifact();
      expect(report.sizes.totalBytes).toBeLessThan(500 * 1024 * 1024);
      execFileSync('cp', ['-a', release, app]);
      for (const f of [
        'server.js',
        'entrypoint.sh',
        'scripts/db/migrate.mjs',
        'lib/config/env-boolean.mjs',
        'dist/workers/convert-worker.mjs',
        '.next/static',
        'models',
      ]) {
        expect(fs.existsSync(path.join(app, f)), f).toBe(true);
      }
      fs.mkdirSync(path.join(data, 'cache'), { recursive: true });
      fs.mkdirSync(path.join(data, 'tmp'), { recursive: true });

      // Like the image: code owned by root and not writable by the app user; only data/ is.
      const asRoot = process.getuid?.() === 0;
      const uid = 65534;
      if (asRoot) {
        execFileSync('chown', ['-R', 'root:root', app]);
        execFileSync('chmod', ['-R', 'go-w', app]);
        execFileSync('chown', ['-R', `${uid}:${uid}`, data]);
      }
      const port = await freePort();
      const env = cleanEnv({
        NODE_ENV: 'production',
        ENVIRONMENT: 'production',
        HOST: '127.0.0.1',
        HOSTNAME: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `file:${data}/app.db`,
        DATA_DIR: data,
        CACHE_DIR: `${data}/cache`,
        MODELS_DIR: `${app}/models`,
        TMPDIR: `${data}/tmp`,
        NEXT_MANUAL_SIG_HANDLE: 'true',
        NEXT_TELEMETRY_DISABLED: '1',
        // Any spelling the server accepts ("true", "1", "yes", "on"): the entry point uses the same parser.
        MIGRATE_ON_START: 'yes',
        APP_URL: `http://127.0.0.1:${port}`,
        WORKERS: '1',
      });
      const nodeDir = path.dirname(process.execPath);
      env.PATH = `${nodeDir}:${env.PATH}`;
      const cmd = asRoot
        ? [
            'setpriv',
            [
              `--reuid=${uid}`,
              `--regid=${uid}`,
              '--clear-groups',
              '--inh-caps=-all',
              path.join(app, 'entrypoint.sh'),
              'serve',
            ],
          ]
        : [path.join(app, 'entrypoint.sh'), ['serve']];
      child = spawn(cmd[0] as string, cmd[1] as string[], {
        cwd: app,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => (logs += String(d)));
      child.stderr!.on('data', (d) => (logs += String(d)));

      const base = `http://127.0.0.1:${port}`;
      let ready = 0;
      let readyBody = '';
      for (let i = 0; i < 240 && child.exitCode === null; i++) {
        try {
          ({ status: ready, body: readyBody } = await get(`${base}/api/health/ready`));
          if (ready === 200) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(ready, `${readyBody}\n${logs.slice(-3000)}`).toBe(200);
      expect(logs).toMatch(/applied \d+ migration/);
      expect((await get(`${base}/api/health/live`)).status).toBe(200);

      // The Dockerfile's HEALTHCHECK command, run as the image would run it.
      const dockerfile = fs.readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
      const hc = /CMD \["node", "-e", "(.+)"\]\s*$/m.exec(
        dockerfile.slice(dockerfile.indexOf('HEALTHCHECK')),
      )?.[1];
      expect(hc).toBeTruthy();
      const check = spawnSync(process.execPath, ['-e', JSON.parse(`"${hc}"`)], {
        env: { ...env },
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(check.status, check.stderr).toBe(0);

      // A real conversion works as the unprivileged user (worker threads, sharp, potrace, resvg, SQLite writes).
      const form = new FormData();
      form.append(
        'file',
        new Blob([fs.readFileSync(path.join(deployDir, 'fixtures/smoke-logo.png'))], { type: 'image/png' }),
        'logo.png',
      );
      const res = await fetch(`${base}/api/v1/convert`, {
        method: 'POST',
        body: form,
        headers: { accept: 'application/json' },
      });
      const body = await res.text();
      expect(res.status, body).toBe(200);
      expect(JSON.parse(body).svg).toMatch(/^<svg/);
      // Logs are JSON lines with request ids (production profile).
      const requestLine = logs
        .split('\n')
        .find((l) => l.includes('"/api/v1/convert"') && l.includes('"status":200'));
      expect(requestLine, logs.slice(-2000)).toBeDefined();
      expect(JSON.parse(requestLine!)).toMatchObject({
        level: 'info',
        requestId: expect.any(String),
        durationMs: expect.any(Number),
      });
      if (asRoot) expect(fs.statSync(path.join(data, 'app.db')).uid).toBe(uid);

      const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs).toContain('shutdown: done');

      // The same layout refuses to start on a bad setting, naming the variable and never echoing a secret.
      const bad = spawnSync(cmd[0] as string, cmd[1] as string[], {
        cwd: app,
        env: { ...env, MIGRATE_ON_START: 'false', LOG_LEVEL: 'loud', NEXTAUTH_SECRET: 'short-secret-value' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('refusing to start');
      expect(bad.stderr).toMatch(/LOG_LEVEL: .*info/);
      expect(bad.stderr).toMatch(/NEXTAUTH_SECRET: .*32/);
      expect(bad.stdout + bad.stderr).not.toContain('short-secret-value');
    },
    10 * 60_000,
  );
});
