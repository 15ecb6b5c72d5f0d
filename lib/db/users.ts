/** User rows. Password hashing lives in lib/auth; this module only stores and finds. */
import { z } from 'zod';
import { getDb, type Db } from './client';
import { InvalidRecordError } from './invalid-record-error';

export type UserRecord = { id: string; email: string; name: string | null; createdAt: Date };

const userSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address')),
  name: z.string().trim().max(100).nullish(),
  passwordHash: z.string().min(1).nullish(),
});

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`An account for ${email} already exists.`);
    this.name = 'EmailTakenError';
  }
}

export async function createUser(input: z.input<typeof userSchema>, db: Db = getDb()): Promise<UserRecord> {
  const parsed = userSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRecordError('user', parsed.error);
  const { email, name, passwordHash } = parsed.data;
  try {
    return await db.user.create({
      data: { email, name: name || null, passwordHash: passwordHash ?? null },
      select: { id: true, email: true, name: true, createdAt: true },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') throw new EmailTakenError(email);
    throw err;
  }
}

/** Includes the password hash: for sign-in only, never returned to a client. */
export async function findUserForSignIn(email: string, db: Db = getDb()) {
  const normalized = String(email ?? '')
    .trim()
    .toLowerCase();
  if (!normalized) return null;
  return db.user.findUnique({
    where: { email: normalized },
    select: { id: true, email: true, name: true, createdAt: true, passwordHash: true },
  });
}

export async function getUser(id: string, db: Db = getDb()): Promise<UserRecord | null> {
  if (!id) return null;
  return db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, createdAt: true },
  });
}
