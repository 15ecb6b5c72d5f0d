/** The conversion history: record each finished conversion, page through it, re-open one, and summarize quality. */
import { z } from 'zod';
import type { RoutedResult } from '@/lib/ai/types';
import { getDb, type Db } from './client';
import { InvalidRecordError } from './invalid-record-error';

const finite = z.number().finite();
const count = z.number().int().min(0).max(2_147_483_647);

const conversionRecordSchema = z.object({
  inputHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest'),
  inputBytes: count,
  fileName: z.string().max(255).nullish(),
  width: count.min(1),
  height: count.min(1),
  type: z.string().min(1).max(32),
  confidence: finite.min(0).max(1),
  tier: z.number().int().min(1).max(3),
  mode: z.enum(['color', 'mono']),
  params: z.record(z.string(), z.unknown()),
  ssim: finite.min(-1).max(1).nullable(),
  // PSNR is Infinity for identical images; JSON and both databases store it capped at 100 dB.
  psnr: z.preprocess((v) => (v === Infinity ? 100 : v), finite.min(0).max(100).nullable()) as z.ZodType<
    number | null
  >,
  gmsd: finite.min(0).max(1).nullish(),
  bytes: count,
  paths: count,
  durationMs: finite.min(0),
  svg: z.string().min(1),
  source: z.enum(['web', 'api', 'cli']).default('api'),
  userId: z.string().min(1).nullish(),
  apiKeyId: z.string().min(1).nullish(),
  /** sha256 of an anonymous browser's history cookie (lib/auth/history-token.ts). */
  browserTokenHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest')
    .nullish(),
  /** The options the caller asked for, as parsed at the edge. */
  options: z.record(z.string(), z.unknown()).nullish(),
  inputType: z
    .string()
    .regex(/^image\/[a-z0-9.+-]+$/)
    .max(64)
    .nullish(),
  /** The batch the conversion was made for (lib/batch); null for single conversions. */
  batchId: z.string().min(1).max(64).nullish(),
});

export type ConversionRecordInput = z.input<typeof conversionRecordSchema>;

/** Maps the shared engine result plus request facts to a record (the API and the CLI both use it). */
export function toConversionRecord(
  result: RoutedResult,
  input: {
    hash: string;
    bytes: number;
    fileName?: string | null;
    source?: 'web' | 'api' | 'cli';
    userId?: string | null;
    apiKeyId?: string | null;
    browserTokenHash?: string | null;
    options?: Record<string, unknown> | null;
    inputType?: string | null;
    batchId?: string | null;
  },
): ConversionRecordInput {
  return {
    inputHash: input.hash,
    inputBytes: input.bytes,
    fileName: input.fileName ?? null,
    width: result.width,
    height: result.height,
    type: result.type,
    confidence: result.confidence,
    tier: result.tier,
    mode: result.mode,
    params: result.params as unknown as Record<string, unknown>,
    ssim: result.quality?.ssim ?? null,
    psnr: result.quality?.psnr ?? null,
    gmsd: result.quality?.gmsd ?? null,
    bytes: result.bytes,
    paths: result.paths,
    durationMs: result.durationMs,
    svg: result.svg,
    source: input.source ?? 'api',
    userId: input.userId ?? null,
    apiKeyId: input.apiKeyId ?? null,
    browserTokenHash: input.browserTokenHash ?? null,
    options: input.options ?? null,
    inputType: input.inputType ?? null,
    batchId: input.batchId ?? null,
  };
}

/** Validates, then inserts. Throws InvalidRecordError (nothing written) on bad data. */
export async function recordConversion(
  input: ConversionRecordInput,
  db: Db = getDb(),
): Promise<{ id: string; createdAt: Date }> {
  const parsed = conversionRecordSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRecordError('conversion', parsed.error);
  const d = parsed.data;
  const row = await db.conversion.create({
    data: {
      ...d,
      fileName: d.fileName ?? null,
      params: d.params as object,
      userId: d.userId ?? null,
      apiKeyId: d.apiKeyId ?? null,
      browserTokenHash: d.browserTokenHash ?? null,
      // Prisma's Json? takes DbNull for SQL NULL, never a plain null
      options: (d.options ?? undefined) as object | undefined,
      inputType: d.inputType ?? null,
      batchId: d.batchId ?? null,
    },
    select: { id: true, createdAt: true },
  });
  return row;
}

const sourceImageSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest'),
  mimeType: z
    .string()
    .regex(/^image\/[a-z0-9.+-]+$/)
    .max(64),
  bytes: z.custom<Uint8Array>((b) => b instanceof Uint8Array && b.length > 0, 'must be non-empty bytes'),
});

/**
 * Keeps an original upload once per content (its sha256); storing the same bytes again is a no-op, also when
 * two requests race to store them.
 */
export async function storeSourceImage(
  input: z.input<typeof sourceImageSchema>,
  db: Db = getDb(),
): Promise<void> {
  const parsed = sourceImageSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRecordError('source image', parsed.error);
  const { hash, mimeType, bytes } = parsed.data;
  const data = new Uint8Array(bytes);
  try {
    await db.sourceImage.upsert({
      where: { hash },
      create: { hash, mimeType, bytes: data, byteSize: data.length },
      update: {},
    });
  } catch (error) {
    // the loser of a race on the same new hash: the winner stored identical bytes
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
}

/** The original of a conversion the owner may see (null when not theirs, or recorded without its original). */
export async function getConversionOriginal(
  id: string,
  owner: HistoryOwner,
  db: Db = getDb(),
): Promise<{ mimeType: string; bytes: Uint8Array; fileName: string | null } | null> {
  const where = ownerWhere(owner);
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  const row = await db.conversion.findFirst({
    where: { id, ...where },
    select: { inputHash: true, fileName: true },
  });
  if (!row) return null;
  const image = await db.sourceImage.findUnique({
    where: { hash: row.inputHash },
    select: { mimeType: true, bytes: true },
  });
  return image
    ? { mimeType: image.mimeType, bytes: new Uint8Array(image.bytes), fileName: row.fileName }
    : null;
}

const summarySelect = {
  id: true,
  createdAt: true,
  fileName: true,
  inputBytes: true,
  width: true,
  height: true,
  type: true,
  confidence: true,
  tier: true,
  mode: true,
  ssim: true,
  psnr: true,
  gmsd: true,
  bytes: true,
  paths: true,
  durationMs: true,
  source: true,
  userId: true,
} as const;

export type ConversionSummary = {
  id: string;
  createdAt: Date;
  fileName: string | null;
  inputBytes: number;
  width: number;
  height: number;
  type: string;
  confidence: number;
  tier: number;
  mode: string;
  ssim: number | null;
  psnr: number | null;
  gmsd: number | null;
  bytes: number;
  paths: number;
  durationMs: number;
  source: string;
  userId: string | null;
};

export type ConversionDetail = ConversionSummary & {
  inputHash: string;
  params: Record<string, unknown>;
  /** The options asked for; null for conversions recorded before options were kept. */
  options: Record<string, unknown> | null;
  inputType: string | null;
  svg: string;
  apiKeyId: string | null;
};

/**
 * Whose conversions a caller may see. Every read of a conversion names one, so no code path can list or open
 * someone else's SVG: a user (signed in, or through a key with the history scope), one API key, or one
 * anonymous browser (by the hash of its history cookie).
 */
export type HistoryOwner = { userId: string } | { apiKeyId: string } | { browserTokenHash: string };

const ownerSchema = z.union([
  z.strictObject({ userId: z.string().min(1) }),
  z.strictObject({ apiKeyId: z.string().min(1) }),
  z.strictObject({ browserTokenHash: z.string().regex(/^[0-9a-f]{64}$/) }),
]);

/** A Prisma filter that can never be empty: `{ userId: undefined }` would silently match every row. */
function ownerWhere(
  owner: HistoryOwner,
): { userId: string } | { apiKeyId: string } | { browserTokenHash: string } {
  const parsed = ownerSchema.safeParse(owner);
  if (!parsed.success) throw new InvalidRecordError('history owner', parsed.error);
  return parsed.data;
}

const listConversionsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(64).optional(),
});

/** The owner's conversions, newest first, keyset-paged by id: `nextCursor` is null on the last page. */
export async function listConversions(
  owner: HistoryOwner,
  options: z.input<typeof listConversionsSchema> = {},
  db: Db = getDb(),
): Promise<{ items: ConversionSummary[]; nextCursor: string | null }> {
  const where = ownerWhere(owner);
  const parsed = listConversionsSchema.safeParse(options);
  if (!parsed.success) throw new InvalidRecordError('history query', parsed.error);
  const { limit, cursor } = parsed.data;
  // Someone else's id as a cursor reads as unknown, like a vanished one: it must not reveal that it exists.
  if (cursor && !(await db.conversion.findFirst({ where: { id: cursor, ...where }, select: { id: true } }))) {
    // Prisma would silently return an empty page for a vanished cursor; say so instead.
    throw new InvalidRecordError('history query', fakeZodError('cursor', 'unknown cursor'));
  }
  const rows = await db.conversion.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: summarySelect,
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

/** The conversion when it exists AND belongs to `owner`; null otherwise, so callers answer both with 404. */
export async function getConversion(
  id: string,
  owner: HistoryOwner,
  db: Db = getDb(),
): Promise<ConversionDetail | null> {
  const where = ownerWhere(owner);
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  const row = await db.conversion.findFirst({
    where: { id, ...where },
    select: {
      ...summarySelect,
      inputHash: true,
      params: true,
      options: true,
      inputType: true,
      svg: true,
      apiKeyId: true,
    },
  });
  if (!row) return null;
  return {
    ...row,
    params: (row.params ?? {}) as Record<string, unknown>,
    options: (row.options ?? null) as Record<string, unknown> | null,
  };
}

type ConversionStats = {
  total: number;
  byType: { type: string; count: number; meanSsim: number | null }[];
  byTier: { tier: number; count: number; meanSsim: number | null }[];
  /** One entry per UTC day with conversions in the window, oldest first. */
  trend: {
    day: string;
    count: number;
    meanSsim: number | null;
    minSsim: number | null;
    meanDurationMs: number;
  }[];
};

/** Counts by type and tier (all time) and the daily quality trend over the last `days` days. */
export async function conversionStats(
  options: { days?: number; now?: Date } = {},
  db: Db = getDb(),
): Promise<ConversionStats> {
  const days = Math.min(Math.max(Math.trunc(options.days ?? 30), 1), 366);
  const now = options.now ?? new Date();
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(startOfToday - (days - 1) * 86_400_000);
  const until = new Date(startOfToday + 86_400_000);
  const [total, byType, byTier, recent] = await Promise.all([
    db.conversion.count(),
    db.conversion.groupBy({
      by: ['type'],
      _count: { _all: true },
      _avg: { ssim: true },
      orderBy: { type: 'asc' },
    }),
    db.conversion.groupBy({
      by: ['tier'],
      _count: { _all: true },
      _avg: { ssim: true },
      orderBy: { tier: 'asc' },
    }),
    // Day bucketing in SQL differs per provider (and per SQLite timestamp format); the window is bounded, so
    // bucketing here keeps one code path for both databases.
    db.conversion.findMany({
      where: { createdAt: { gte: since, lt: until } },
      select: { createdAt: true, ssim: true, durationMs: true },
    }),
  ]);
  const buckets = new Map<
    string,
    { count: number; ssimSum: number; ssimN: number; min: number | null; dur: number }
  >();
  for (const r of recent) {
    const day = r.createdAt.toISOString().slice(0, 10);
    const b = buckets.get(day) ?? { count: 0, ssimSum: 0, ssimN: 0, min: null, dur: 0 };
    b.count++;
    b.dur += r.durationMs;
    if (r.ssim !== null) {
      b.ssimSum += r.ssim;
      b.ssimN++;
      b.min = b.min === null ? r.ssim : Math.min(b.min, r.ssim);
    }
    buckets.set(day, b);
  }
  return {
    total,
    byType: byType.map((g) => ({ type: g.type, count: g._count._all, meanSsim: g._avg.ssim ?? null })),
    byTier: byTier.map((g) => ({ tier: g.tier, count: g._count._all, meanSsim: g._avg.ssim ?? null })),
    trend: [...buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, b]) => ({
        day,
        count: b.count,
        meanSsim: b.ssimN ? b.ssimSum / b.ssimN : null,
        minSsim: b.min,
        meanDurationMs: b.dur / b.count,
      })),
  };
}

function fakeZodError(path: string, message: string): z.ZodError {
  return new z.ZodError([{ code: 'custom', path: [path], message, input: undefined }]);
}
