// Sign-up, sign-in (directly and through the next-auth credentials provider), request API keys and the
// generated session secret, on a real migrated SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZodError } from 'zod';
import { createTestDatabase, type TestDatabase } from '@/test/support/test-databases';
import { EmailTakenError } from '@/lib/db/users';
import { authenticate, signUp } from './accounts';
import { createApiKey, revokeApiKey, verifyApiKey } from './api-keys';
import { getAuthSecret } from './secret';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
});
afterAll(async () => {
  await t?.drop();
});

describe('accounts', () => {
  it('signs up, then signs in with the same email in any case, and refuses a wrong password', async () => {
    const user = await signUp({ email: 'Grace@Example.org', name: 'Grace', password: 'hopper-1906' }, t.db);
    expect(user.email).toBe('grace@example.org');
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect((await authenticate('GRACE@example.org ', 'hopper-1906', t.db))?.id).toBe(user.id);
    expect(await authenticate('grace@example.org', 'hopper-1907', t.db)).toBeNull();
    expect(await authenticate('nobody@example.org', 'hopper-1906', t.db)).toBeNull();
    expect(await authenticate(undefined, 'x', t.db)).toBeNull();
    expect(await authenticate('grace@example.org', { $ne: '' }, t.db)).toBeNull();
  });

  it('refuses a duplicate email, a short password and a bad email, writing nothing', async () => {
    const before = await t.db.user.count();
    await expect(
      signUp({ email: 'grace@example.org', password: 'another-pass' }, t.db),
    ).rejects.toBeInstanceOf(EmailTakenError);
    await expect(signUp({ email: 'new@example.org', password: 'short' }, t.db)).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(signUp({ email: 'not-an-email', password: 'long enough' }, t.db)).rejects.toBeInstanceOf(
      ZodError,
    );
    expect(await t.db.user.count()).toBe(before);
  });
});

describe('request API keys', () => {
  it('accepts static keys from config and database keys, and refuses revoked or unknown ones', async () => {
    const staticKeys = ['static-key-0123456789abcdef', 'second-static-key-0123456789'];
    expect(await verifyApiKey('second-static-key-0123456789', { staticKeys, db: t.db })).toMatchObject({
      id: 'static:1',
      userId: null,
    });
    const user = await signUp({ email: 'keys@example.org', password: 'password-123' }, t.db);
    const { key, record } = await createApiKey(user.id, 'laptop', ['convert'], t.db);
    expect(await verifyApiKey(key, { staticKeys, db: t.db })).toMatchObject({
      id: record.id,
      userId: user.id,
      scopes: ['convert'],
    });
    await revokeApiKey(record.id, user.id, t.db);
    expect(await verifyApiKey(key, { staticKeys, db: t.db })).toBeNull();
    expect(await verifyApiKey('static-key-0123456789abcde', { staticKeys, db: t.db })).toBeNull();
    expect(await verifyApiKey('', { staticKeys, db: t.db })).toBeNull();
  });
});

describe('session secret', () => {
  it('is generated once into the data folder with owner-only permissions and reused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-secret-'));
    try {
      const first = getAuthSecret({ dataDir: dir, configured: undefined });
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(getAuthSecret({ dataDir: dir, configured: undefined })).toBe(first);
      const file = path.join(dir, 'auth-secret');
      expect(readFileSync(file, 'utf8').trim()).toBe(first);
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(getAuthSecret({ dataDir: dir, configured: 'x'.repeat(40) })).toBe('x'.repeat(40));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
