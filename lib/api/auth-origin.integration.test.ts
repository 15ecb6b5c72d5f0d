// Without APP_URL (development), sign-in answers still point at the configured local server, never at whatever
// Host / X-Forwarded-Host a request claims (they answered {"url":"http://evil.example"}).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { cookieHeader, cookiesOf } from '@/test/support/sign-in';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';

delete process.env.APP_URL;
delete process.env.NEXTAUTH_URL;
delete process.env.AUTH_TRUST_HOST;
process.env.PORT = '3999';
const dbDir = mkdtempSync(path.join(os.tmpdir(), 'svgai-auth-origin-'));
process.env.DATABASE_URL = `file:${path.join(dbDir, 'app.db')}`;

const authRoute = await import('@/app/api/auth/[...nextauth]/route');
const { disconnectDb } = await import('@/lib/db/client');

beforeAll(() => applyMigrations({ databaseUrl: process.env.DATABASE_URL! }));
afterAll(async () => {
  await disconnectDb();
  rmSync(dbDir, { recursive: true, force: true });
});

describe('canonical origin without APP_URL', () => {
  it('answers with http://localhost:PORT whatever the request says it was sent to', async () => {
    const evil = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const csrf = await authRoute.GET(
      new Request('http://evil.example/api/auth/csrf', {
        headers: { ...evil, [PEER_ADDRESS_HEADER]: '192.0.2.3' },
      }),
      { params: Promise.resolve({ nextauth: ['csrf'] }) },
    );
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    for (const action of [['signin', 'credentials'], ['signout']]) {
      const res = await authRoute.POST(
        new Request(`http://evil.example/api/auth/${action.join('/')}`, {
          method: 'POST',
          headers: {
            ...evil,
            'content-type': 'application/x-www-form-urlencoded',
            cookie: cookieHeader(cookiesOf(csrf)),
            [PEER_ADDRESS_HEADER]: '192.0.2.3',
          },
          body: new URLSearchParams({ csrfToken, json: 'true', callbackUrl: '/account' }).toString(),
        }),
        { params: Promise.resolve({ nextauth: action }) },
      );
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin, action.join('/')).toBe('http://localhost:3999');
    }
  });
});
