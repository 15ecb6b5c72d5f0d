// Crash consistency: the production server converting under load is killed with SIGKILL (no drain, no
// shutdown hooks), restarted on the same database, and must find it intact with every conversion it had
// acknowledged (answered 200 with an id) present, on SQLite and on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { createDbClient } from '../lib/db/client';
import { applyMigrations } from '../scripts/db/migrate.mjs';
import { createPostgresDatabase, dropPostgresDatabase } from '../scripts/db/postgres-admin.mjs';
import { serverEnv } from '../scripts/start.mjs';
import { postgresTestsEnabled, testPostgresAdminUrl } from '../test/support/test-databases';

const root = path.resolve(import.meta.dirname, '..');
const IMAGES = ['test/fixtures/api/logo-256.png', 'test/fixtures/api/gradient.jpg'].map((f) =>
  readFileSync(path.join(root, f)),
);
const LOAD_MS = 6_000;
const CLIENTS = 6;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, dataDir: string, port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = serverEnv(
    {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      CACHE_TYPE: 'none',
      RATE_LIMIT_ANONYMOUS: '0',
      LOG_LEVEL: 'error',
      APP_URL: `http://127.0.0.1:${port}`,
      WORKERS: '2',
    },
    root,
  ) as NodeJS.ProcessEnv;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, '.next/standalone/server.js')], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`).catch(() => null);
    if (ready?.status === 200) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

/** Converts in a loop from several clients until `stop`; returns the ids the server acknowledged. */
async function convertUnderLoad(
  port: number,
  stop: { now: boolean },
): Promise<{ acked: string[]; failed: number }> {
  const acked: string[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; !stop.now; i++) {
        const form = new FormData();
        // A distinct image per request (one byte of the tail changed), so each is a new row.
        const bytes = Buffer.concat([IMAGES[(client + i) % IMAGES.length], randomBytes(8)]);
        form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `c${client}-${i}.png`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/convert?quality=fast`, {
            method: 'POST',
            body: form,
          });
          if (res.status === 200) acked.push(((await res.json()) as { id: string }).id);
          else failed++;
        } catch {
          // The kill: requests in flight die with the connection; only acknowledged ones count.
          failed++;
          return;
        }
      }
    }),
  );
  return { acked, failed };
}

async function crashAndRecover(
  databaseUrl: string,
  dataDir: string,
  present: (ids: string[]) => Promise<string[]>,
) {
  await applyMigrations({ databaseUrl, baseDir: root });
  const port = await freePort();
  const first = await startServer(databaseUrl, dataDir, port);
  const stop = { now: false };
  const load = convertUnderLoad(port, stop);
  await new Promise((r) => setTimeout(r, LOAD_MS));
  // SIGKILL while conversions and their inserts are in flight.
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  stop.now = true;
  const { acked } = await load;
  expect(acked.length, 'acknowledged conversions before the kill').toBeGreaterThan(5);

  const second = await startServer(databaseUrl, dataDir, port);
  try {
    const found = await present(acked);
    expect(
      acked.filter((id) => !found.includes(id)),
      'acknowledged ids missing after the crash',
    ).toEqual([]);
    // And it keeps working.
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(IMAGES[0])], { type: 'image/png' }), 'after.png');
    expect(
      (await fetch(`http://127.0.0.1:${port}/api/v1/convert`, { method: 'POST', body: form })).status,
    ).toBe(200);
  } finally {
    second.kill('SIGKILL');
  }
  return acked.length;
}

test.describe('crash consistency (kill -9 under load)', () => {
  test.setTimeout(6 * 60_000);

  test('SQLite: integrity check passes and every acknowledged conversion is there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-crash-'));
    try {
      const file = path.join(dir, 'app.db');
      const acked = await crashAndRecover(`file:${file}`, dir, async (ids) => {
        const db = new Database(file, { readonly: true });
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          expect(db.pragma('foreign_key_check')).toEqual([]);
          const rows = db
            .prepare(`SELECT id FROM Conversion WHERE id IN (${ids.map(() => '?').join(',')})`)
            .all(...ids);
          return (rows as { id: string }[]).map((r) => r.id);
        } finally {
          db.close();
        }
      });
      test
        .info()
        .annotations.push({ type: 'acknowledged', description: `${acked} conversions before kill -9` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: every acknowledged conversion is there', async () => {
    test.skip(!postgresTestsEnabled(), 'SKIP_POSTGRES_TESTS=1');
    const admin = testPostgresAdminUrl();
    const name = `svgai_crash_${randomBytes(5).toString('hex')}`;
    const url = await createPostgresDatabase(admin, name);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-crash-pg-'));
    try {
      const acked = await crashAndRecover(url, dir, async (ids) => {
        const { db } = createDbClient(url);
        try {
          const rows = await db.conversion.findMany({ where: { id: { in: ids } }, select: { id: true } });
          return rows.map((r) => r.id);
        } finally {
          await db.$disconnect();
        }
      });
      test
        .info()
        .annotations.push({ type: 'acknowledged', description: `${acked} conversions before kill -9` });
    } finally {
      await dropPostgresDatabase(admin, name).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
