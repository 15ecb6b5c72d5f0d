/**
 * Signed-in browser sessions (AuthSession rows). What a session is and when it ends lives in
 * lib/auth/sessions.ts; this module only stores and finds. Rows are keyed by the digest of the session id.
 */
import { getDb, type Db } from './client';

export type AuthSessionRow = {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
};

export async function insertAuthSession(
  data: { id: string; userId: string; expiresAt: Date; userAgent: string | null },
  db: Db = getDb(),
): Promise<AuthSessionRow> {
  return db.authSession.create({ data });
}

export async function findAuthSession(id: string, db: Db = getDb()): Promise<AuthSessionRow | null> {
  return db.authSession.findUnique({ where: { id } });
}

export async function touchAuthSession(id: string, at: Date, db: Db = getDb()): Promise<void> {
  await db.authSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: at } });
}

/** Ends one session; false when it does not exist or is not `userId`'s. A revoked session keeps its first time. */
export async function revokeAuthSession(
  id: string,
  userId: string | null,
  at: Date,
  db: Db = getDb(),
): Promise<boolean> {
  const { count } = await db.authSession.updateMany({
    where: { id, ...(userId ? { userId } : {}), revokedAt: null },
    data: { revokedAt: at },
  });
  return count > 0;
}

/** Ends every live session of the user; returns how many were live. */
export async function revokeUserAuthSessions(userId: string, at: Date, db: Db = getDb()): Promise<number> {
  const { count } = await db.authSession.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: at },
  });
  return count;
}

/** The user's sessions that are neither revoked nor past their end, most recently used first. */
export async function listLiveAuthSessions(
  userId: string,
  now: Date,
  db: Db = getDb(),
): Promise<AuthSessionRow[]> {
  return db.authSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: 'desc' },
    take: 100,
  });
}

/** Deletes sessions that ended (revoked or expired) before `before`: they prove nothing any more. */
export async function deleteEndedAuthSessions(before: Date, db: Db = getDb()): Promise<number> {
  const { count } = await db.authSession.deleteMany({
    where: { OR: [{ revokedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return count;
}
