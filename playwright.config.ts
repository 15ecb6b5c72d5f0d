/**
 * Browser tests in Debian's Chromium (/usr/bin/chromium; Playwright's own browsers cannot be downloaded here).
 * The web server is the production build started the way `npm start` starts it, on its own port with a fresh
 * SQLite database, so runs never touch a developer's data or another server.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-e2e-'));

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        // npm start: builds when no build exists (E2E_REBUILD=1 forces one), migrates, serves the standalone output.
        command: `node scripts/start.mjs${process.env.E2E_REBUILD === '1' ? ' --rebuild' : ''}`,
        url: `${BASE_URL}/api/health/live`,
        timeout: 15 * 60_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          PORT: String(PORT),
          HOST: '127.0.0.1',
          DATABASE_URL: `file:${path.join(dataDir, 'app.db')}`,
          DATA_DIR: dataDir,
          CACHE_TYPE: 'memory',
          // Sign-in links and redirects point here (the canonical origin, never the Host header).
          APP_URL: BASE_URL,
          // As behind our nginx: a request with X-Forwarded-For is a remote client, one without is this machine.
          TRUST_PROXY: 'true',
          RATE_LIMIT_ANONYMOUS: '1000',
          LOG_LEVEL: 'warn',
          NEXT_TELEMETRY_DISABLED: '1',
        },
      },
});
