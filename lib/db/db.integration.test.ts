// The data layer against real databases: the same suite runs on a temp SQLite file and a fresh PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { applyMigrations, getMigrationStatus } from '@/scripts/db/migrate.mjs';
// Keys are made and checked in lib/auth; their rows are this layer's, so they are tested on both providers here.
import { createApiKey, hashApiKey, listApiKeys, revokeApiKey, verifyApiKey } from '@/lib/auth/api-keys';
import {
  conversionStats,
  getConversion,
  getConversionOriginal,
  listConversions,
  recordConversion,
  storeSourceImage,
  type ConversionRecordInput,
} from './conversions';
import { InvalidRecordError } from './invalid-record-error';
import { getPendingMigrations } from './migration-status';
import {
  createTestDatabase,
  postgresTestsEnabled,
  TEST_PROVIDERS,
  type TestDatabase,
} from '@/test/support/test-databases';
import { createUser, EmailTakenError } from './users';

const providers = TEST_PROVIDERS.filter((p) => p === 'sqlite' || postgresTestsEnabled());

function sampleConversion(over: Partial<ConversionRecordInput> = {}): ConversionRecordInput {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><path d="M0 0h4v4H0z" fill="#f00"/></svg>';
  return {
    inputHash: createHash('sha256')
      .update(svg + Math.random())
      .digest('hex'),
    inputBytes: 1234,
    fileName: 'logo.png',
    width: 4,
    height: 4,
    type: 'simple',
    confidence: 0.93,
    tier: 1,
    mode: 'color',
    params: { mode: 'color', colors: 4, speckle: 2, layering: 'stacked' },
    ssim: 0.97,
    psnr: 31.5,
    bytes: svg.length,
    paths: 1,
    durationMs: 12.5,
    svg,
    source: 'api',
    ...over,
  };
}

describe.each(providers)('data layer on %s', (provider) => {
  let t: TestDatabase;
  let userId: string;
  let otherUserId: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    userId = (await createUser({ email: `Ada@Example.com`, name: 'Ada' }, t.db)).id;
    otherUserId = (await createUser({ email: 'bob@example.com' }, t.db)).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('reports every migration applied, and applying again changes nothing', async () => {
    const status = await getMigrationStatus({ databaseUrl: t.url });
    expect(status.pending).toEqual([]);
    expect(status.applied.length).toBeGreaterThan(0);
    expect(await applyMigrations({ databaseUrl: t.url })).toEqual([]);
    expect(await getPendingMigrations(t)).toEqual([]);
  });

  it('stores emails lowercased and refuses a second account for the same email', async () => {
    await expect(createUser({ email: 'ada@example.com' }, t.db)).rejects.toBeInstanceOf(EmailTakenError);
    await expect(createUser({ email: 'not an email' }, t.db)).rejects.toBeInstanceOf(InvalidRecordError);
  });

  it('records a conversion and re-opens it with its SVG and params', async () => {
    const input = sampleConversion({ userId, psnr: Infinity });
    const { id } = await recordConversion(input, t.db);
    const back = await getConversion(id, { userId }, t.db);
    expect(back).not.toBeNull();
    expect(back!.svg).toBe(input.svg);
    expect(back!.params).toEqual(input.params);
    expect(back!.inputHash).toBe(input.inputHash);
    expect(back!.psnr).toBe(100);
    expect(back!.ssim).toBeCloseTo(0.97, 10);
    expect(back!.userId).toBe(userId);
    expect(await getConversion('does-not-exist', { userId }, t.db)).toBeNull();
  });

  it('keeps the options asked for and the original upload, shown only to the owner', async () => {
    const bytes = new Uint8Array(Buffer.from('\x89PNG\r\n\x1a\n fake but stored byte for byte \x00\xff'));
    const hash = createHash('sha256').update(bytes).digest('hex');
    const options = {
      mode: 'color',
      quality: 'best',
      palette: { colors: ['#ff0000'] },
      params: { colors: 8 },
    };
    const input = sampleConversion({ userId, inputHash: hash, options, inputType: 'image/png' });
    const { id } = await recordConversion(input, t.db);
    // stored twice (and concurrently) as the same content: one row
    await Promise.all([
      storeSourceImage({ hash, mimeType: 'image/png', bytes }, t.db),
      storeSourceImage({ hash, mimeType: 'image/png', bytes }, t.db),
    ]);
    await storeSourceImage({ hash, mimeType: 'image/png', bytes }, t.db);
    expect(await t.db.sourceImage.count({ where: { hash } })).toBe(1);
    const back = await getConversion(id, { userId }, t.db);
    expect(back!.options).toEqual(options);
    expect(back!.inputType).toBe('image/png');
    const original = await getConversionOriginal(id, { userId }, t.db);
    expect(original!.mimeType).toBe('image/png');
    expect(Buffer.from(original!.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(original!.fileName).toBe('logo.png');
    // someone else's conversion, or one recorded without its original, has none
    expect(await getConversionOriginal(id, { userId: otherUserId }, t.db)).toBeNull();
    const bare = await recordConversion(sampleConversion({ userId }), t.db);
    expect(await getConversionOriginal(bare.id, { userId }, t.db)).toBeNull();
    expect((await getConversion(bare.id, { userId }, t.db))!.options).toBeNull();
    await expect(storeSourceImage({ hash: 'x', mimeType: 'image/png', bytes }, t.db)).rejects.toBeInstanceOf(
      InvalidRecordError,
    );
    await expect(storeSourceImage({ hash, mimeType: 'text/html', bytes }, t.db)).rejects.toBeInstanceOf(
      InvalidRecordError,
    );
  });

  it('refuses bad data with InvalidRecordError and keeps every stored row', async () => {
    const before = await t.db.conversion.count();
    const bad: Partial<ConversionRecordInput>[] = [
      { ssim: Number.NaN },
      { bytes: -1 },
      { inputHash: 'not-a-hash' },
      { tier: 7 },
      { width: 0 },
      { svg: '' },
    ];
    for (const over of bad) {
      await expect(recordConversion(sampleConversion(over), t.db)).rejects.toBeInstanceOf(InvalidRecordError);
    }
    // A row that passes validation but breaks a foreign key fails in the database, atomically.
    await expect(recordConversion(sampleConversion({ userId: 'no-such-user' }), t.db)).rejects.toThrow();
    expect(await t.db.conversion.count()).toBe(before);
  });

  it("pages through one owner's history newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await recordConversion(sampleConversion({ userId: otherUserId, fileName: `f${i}.png` }), t.db)).id,
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await listConversions({ userId: otherUserId }, { limit: 2, cursor }, t.db);
      expect(res.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.items.map((r) => r.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const first = await listConversions({ userId: otherUserId }, { limit: 1 }, t.db);
    expect(first.items[0]).not.toHaveProperty('svg');
    const owner = { userId: otherUserId };
    await expect(listConversions(owner, { cursor: 'vanished' }, t.db)).rejects.toBeInstanceOf(
      InvalidRecordError,
    );
    await expect(listConversions(owner, { limit: 1000 }, t.db)).rejects.toBeInstanceOf(InvalidRecordError);
  });

  it('shows a conversion only to its owner: user, API key or anonymous browser', async () => {
    const { record: keyA } = await createApiKey(userId, 'owner test A', ['convert'], t.db);
    const userB = (await createUser({ email: `owner-b-${Math.random()}@example.com` }, t.db)).id;
    const { record: keyB } = await createApiKey(userB, 'owner test B', ['convert'], t.db);
    const browser1 = createHash('sha256').update(`browser-1-${Math.random()}`).digest('hex');
    const browser2 = createHash('sha256').update(`browser-2-${Math.random()}`).digest('hex');
    const byKeyA = (await recordConversion(sampleConversion({ userId, apiKeyId: keyA.id }), t.db)).id;
    const webA = (await recordConversion(sampleConversion({ userId, source: 'web' }), t.db)).id;
    const byKeyB = (await recordConversion(sampleConversion({ userId: userB, apiKeyId: keyB.id }), t.db)).id;
    const anon1 = (
      await recordConversion(sampleConversion({ browserTokenHash: browser1, source: 'web' }), t.db)
    ).id;
    const anon2 = (
      await recordConversion(sampleConversion({ browserTokenHash: browser2, source: 'web' }), t.db)
    ).id;
    const ownerless = (await recordConversion(sampleConversion(), t.db)).id;

    const ids = async (owner: Parameters<typeof listConversions>[0]) =>
      (await listConversions(owner, { limit: 100 }, t.db)).items.map((c) => c.id);
    const userA = await ids({ userId });
    expect(userA).toEqual(expect.arrayContaining([byKeyA, webA]));
    for (const id of [byKeyB, anon1, anon2, ownerless]) expect(userA).not.toContain(id);
    expect(await ids({ apiKeyId: keyA.id })).toEqual([byKeyA]);
    expect(await ids({ apiKeyId: keyB.id })).toEqual([byKeyB]);
    expect(await ids({ browserTokenHash: browser1 })).toEqual([anon1]);
    expect(await ids({ browserTokenHash: createHash('sha256').update('never used').digest('hex') })).toEqual(
      [],
    );

    expect(await getConversion(byKeyA, { userId }, t.db)).not.toBeNull();
    expect(await getConversion(anon1, { browserTokenHash: browser1 }, t.db)).not.toBeNull();
    for (const [id, owner] of [
      [byKeyB, { userId }],
      [anon1, { userId }],
      [webA, { apiKeyId: keyA.id }],
      [byKeyA, { apiKeyId: keyB.id }],
      [anon1, { browserTokenHash: browser2 }],
      [byKeyA, { browserTokenHash: browser1 }],
    ] as const) {
      expect(await getConversion(id, owner, t.db)).toBeNull();
    }
    // Another owner's id used as a page cursor is "unknown", exactly like a vanished one.
    await expect(listConversions({ userId }, { cursor: anon1 }, t.db)).rejects.toBeInstanceOf(
      InvalidRecordError,
    );
  });

  it('refuses an empty or malformed owner instead of matching every row', async () => {
    const empty = [
      { userId: '' },
      { apiKeyId: '' },
      { browserTokenHash: 'short' },
      {},
      { userId: undefined },
    ];
    for (const owner of empty) {
      const o = owner as Parameters<typeof listConversions>[0];
      await expect(listConversions(o, {}, t.db)).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(getConversion('any', o, t.db)).rejects.toBeInstanceOf(InvalidRecordError);
    }
  });

  it('summarizes counts by type and tier and the daily quality trend', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const a = await recordConversion(sampleConversion({ type: 'text', tier: 2, ssim: 0.8 }), t.db);
    const b = await recordConversion(sampleConversion({ type: 'text', tier: 3, ssim: 0.9 }), t.db);
    const c = await recordConversion(sampleConversion({ type: 'gradient', tier: 3, ssim: null }), t.db);
    await t.db.conversion.update({
      where: { id: a.id },
      data: { createdAt: new Date('2026-03-09T08:00:00Z') },
    });
    await t.db.conversion.update({
      where: { id: b.id },
      data: { createdAt: new Date('2026-03-09T23:59:00Z') },
    });
    await t.db.conversion.update({
      where: { id: c.id },
      data: { createdAt: new Date('2026-03-10T01:00:00Z') },
    });
    const stats = await conversionStats({ days: 2, now }, t.db);
    expect(stats.total).toBe(await t.db.conversion.count());
    const text = stats.byType.find((x) => x.type === 'text');
    expect(text?.count).toBe(2);
    expect(text?.meanSsim).toBeCloseTo(0.85, 6);
    expect(stats.byTier.find((x) => x.tier === 3)?.count).toBe(2);
    expect(stats.byTier.reduce((s, x) => s + x.count, 0)).toBe(stats.total);
    const day9 = stats.trend.find((d) => d.day === '2026-03-09');
    const day10 = stats.trend.find((d) => d.day === '2026-03-10');
    expect(day9).toMatchObject({ count: 2, minSsim: 0.8 });
    expect(day9?.meanSsim).toBeCloseTo(0.85, 6);
    expect(day10).toMatchObject({ count: 1, meanSsim: null });
    // Rows recorded "today" (outside the 2-day window ending 2026-03-10) are not in the trend.
    expect(stats.trend.map((d) => d.day)).toEqual(['2026-03-09', '2026-03-10']);
  });

  it('creates an API key shown once and stores only its sha256', async () => {
    const { key, record } = await createApiKey(userId, 'CI', ['convert', 'history:read'], t.db);
    expect(key).toMatch(/^svgai_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(record.prefix)).toBe(true);
    expect(record).not.toHaveProperty('hashedKey');
    expect(record.scopes).toEqual(['convert', 'history:read']);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.hashedKey).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it('verifies a live key, marks it used, and refuses wrong, malformed and revoked keys', async () => {
    const { key, record } = await createApiKey(userId, 'deploy bot', ['convert'], t.db);
    expect(record.lastUsedAt).toBeNull();
    const used = new Date('2026-05-01T10:00:00Z');
    const verified = await verifyApiKey(key, { db: t.db, now: used });
    expect(verified?.id).toBe(record.id);
    expect(verified?.userId).toBe(userId);
    expect(
      (await t.db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).lastUsedAt?.toISOString(),
    ).toBe(used.toISOString());

    const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(await verifyApiKey(flipped, { db: t.db })).toBeNull();
    expect(await verifyApiKey('svgai_short', { db: t.db })).toBeNull();
    expect(await verifyApiKey('', { db: t.db })).toBeNull();

    expect(await revokeApiKey(record.id, otherUserId, t.db)).toBe(false);
    expect(await verifyApiKey(key, { db: t.db })).not.toBeNull();
    expect(await revokeApiKey(record.id, userId, t.db)).toBe(true);
    expect(await verifyApiKey(key, { db: t.db })).toBeNull();
    const revokedAt = (await t.db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).revokedAt;
    expect(revokedAt).not.toBeNull();
    expect(await revokeApiKey(record.id, userId, t.db)).toBe(true);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).revokedAt?.getTime()).toBe(
      revokedAt!.getTime(),
    );
  });

  it('lists only the user’s keys, newest first, revoked included, and validates new keys', async () => {
    const mine = await listApiKeys(userId, t.db);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((k) => k.userId === userId)).toBe(true);
    expect(mine.some((k) => k.revokedAt !== null)).toBe(true);
    expect(await listApiKeys(otherUserId, t.db)).toEqual([]);
    await expect(createApiKey(userId, '   ', ['convert'], t.db)).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(createApiKey(userId, 'x', ['admin'], t.db)).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(createApiKey(userId, 'x', [], t.db)).rejects.toBeInstanceOf(InvalidRecordError);
    expect((await listApiKeys(userId, t.db)).length).toBe(mine.length);
  });
});
