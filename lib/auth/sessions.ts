/**
 * Revocable web sessions. The session cookie is next-auth's encrypted JWT; it carries the user id and a random
 * session id whose digest names an AuthSession row. Every request checks that row, so signing out, "sign out
 * everywhere" and an expired or deleted account end the cookie at once, on every instance.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decode } from 'next-auth/jwt';
import {
  findAuthSession,
  insertAuthSession,
  listLiveAuthSessions,
  revokeAuthSession,
  revokeUserAuthSessions,
  touchAuthSession,
  type AuthSessionRow,
} from '@/lib/db/auth-sessions';
import type { Db } from '@/lib/db/client';
import { getUser, type UserRecord } from '@/lib/db/users';
import { usesSecureCookies } from './canonical-url';
import { getAuthSecret } from './secret';

/** A session lasts a week from sign-in, however often it is used (it was 30 days, with no way to end it). */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
// lastSeenAt is for the account page's list; minutes are precise enough and spare a write per request.
const TOUCH_RESOLUTION_MS = 5 * 60_000;
const USER_AGENT_MAX = 200;

/** next-auth's cookie names: `__Secure-` prefixed when the app is served over HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}next-auth.session-token`;
}

export type SessionClaims = { uid: string; sid: string };
export type ActiveSession = { userId: string; sessionId: string };

function digest(sessionId: string): string {
  return createHash('sha256').update(`svgai-session:${sessionId}`).digest('hex');
}

/** Starts a session for a user who just proved their password; the raw id goes into the cookie only. */
export async function startSession(
  userId: string,
  userAgent: string | null | undefined,
  options: { db?: Db; now?: Date } = {},
): Promise<string> {
  const now = options.now ?? new Date();
  const sessionId = randomBytes(32).toString('base64url');
  await insertAuthSession(
    {
      id: digest(sessionId),
      userId,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000),
      userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
    },
    options.db,
  );
  return sessionId;
}

/** Whether the session named in a cookie is still live for that user (records the use now and then). */
export async function isSessionLive(
  claims: Partial<SessionClaims>,
  options: { db?: Db; now?: Date } = {},
): Promise<boolean> {
  if (typeof claims.sid !== 'string' || typeof claims.uid !== 'string' || !claims.sid || !claims.uid)
    return false;
  const now = options.now ?? new Date();
  const row = await findAuthSession(digest(claims.sid), options.db);
  if (!row || row.userId !== claims.uid || row.revokedAt || row.expiresAt <= now) return false;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_RESOLUTION_MS) {
    await touchAuthSession(row.id, now, options.db);
  }
  return true;
}

/** Ends the session a cookie names (sign-out). */
export async function endSession(sessionId: string, options: { db?: Db; now?: Date } = {}): Promise<void> {
  if (!sessionId) return;
  await revokeAuthSession(digest(sessionId), null, options.now ?? new Date(), options.db);
}

/** Ends one of the user's sessions by its row id (the account page's list); false when it is not theirs. */
export async function endUserSession(
  userId: string,
  rowId: string,
  options: { db?: Db; now?: Date } = {},
): Promise<boolean> {
  if (!userId || !rowId) return false;
  return revokeAuthSession(rowId, userId, options.now ?? new Date(), options.db);
}

/** "Sign out everywhere": ends every session of the user, this one included. */
export async function endAllSessions(userId: string, options: { db?: Db; now?: Date } = {}): Promise<number> {
  return revokeUserAuthSessions(userId, options.now ?? new Date(), options.db);
}

/** The user's live sessions; `current` marks the one the given cookie belongs to. */
export async function listSessions(
  userId: string,
  currentSessionId: string | null,
  options: { db?: Db; now?: Date } = {},
): Promise<(AuthSessionRow & { current: boolean })[]> {
  const rows = await listLiveAuthSessions(userId, options.now ?? new Date(), options.db);
  const current = currentSessionId ? digest(currentSessionId) : null;
  return rows.map((r) => ({ ...r, current: r.id === current }));
}

/** The value of cookie `name` in a Cookie header, joining next-auth's chunks (`name.0`, `name.1`, ...). */
function readCookie(cookieHeader: string, name: string): string | null {
  const jar = new Map<string, string>();
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (jar.has(name)) return jar.get(name)!;
  const chunks: string[] = [];
  for (let i = 0; jar.has(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join('') : null;
}

/**
 * The live session behind a Cookie header, or null (no cookie, a cookie we did not sign, an ended session).
 * Reads the header it is given: it works in a route handler, a server component or a test alike.
 */
export async function resolveSession(
  cookieHeader: string | null | undefined,
  options: { secure: boolean; secret?: string; db?: Db; now?: Date },
): Promise<ActiveSession | null> {
  if (!cookieHeader) return null;
  const token = readCookie(cookieHeader, sessionCookieName(options.secure));
  if (!token) return null;
  let claims: Partial<SessionClaims> | null;
  try {
    claims = (await decode({ token, secret: options.secret ?? getAuthSecret() })) as Partial<SessionClaims>;
  } catch {
    // Tampered, expired or signed with another secret: not a session.
    return null;
  }
  if (!claims || !(await isSessionLive(claims, options))) return null;
  return { userId: claims.uid!, sessionId: claims.sid! };
}

/** The signed-in user behind a Cookie header (null when signed out or the account is gone). */
export async function resolveSessionUser(
  cookieHeader: string | null | undefined,
  options: { secure: boolean; secret?: string; db?: Db },
): Promise<(UserRecord & { sessionId: string }) | null> {
  const session = await resolveSession(cookieHeader, options);
  if (!session) return null;
  const user = await getUser(session.userId, options.db);
  return user ? { ...user, sessionId: session.sessionId } : null;
}

/** The SessionResolver withApi uses by default: the signed-in user's id from the request's own cookies. */
export async function sessionUserOf(request: Request): Promise<string | null> {
  const session = await resolveSession(request.headers.get('cookie'), { secure: usesSecureCookies() });
  return session?.userId ?? null;
}

/** The signed-in user for server components and actions, which pass their request's Cookie header. */
export async function getCurrentUser(
  cookieHeader: string | null | undefined,
): Promise<(UserRecord & { sessionId: string }) | null> {
  return resolveSessionUser(cookieHeader, { secure: usesSecureCookies() });
}
