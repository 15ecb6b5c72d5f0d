/**
 * Web sessions (next-auth v4, JWT in a cookie): the signed-in user behind a page, a server action or an API
 * request. next-auth's getServerSession reads the cookies through Next.js's request scope (next/headers), so
 * these work inside a request handled by Next.js; tests inject a SessionResolver into withApi instead.
 */
import { getServerSession } from 'next-auth';
import { getUser, type UserRecord } from '@/lib/db/users';
import { getAuthOptions } from './options';

/** The signed-in user's id from a next-auth session object (null when signed out). */
function sessionUserId(session: unknown): string | null {
  const id = (session as { user?: { id?: unknown } } | null)?.user?.id;
  return typeof id === 'string' && id ? id : null;
}

/** Whether the request carries a session cookie at all (`__Secure-` prefixed over HTTPS). */
function hasSessionCookie(headers: Headers): boolean {
  return /next-auth\.session-token=/.test(headers.get('cookie') ?? '');
}

/** The signed-in user's id in the current Next.js request, or null. */
async function currentSessionUserId(): Promise<string | null> {
  return sessionUserId(await getServerSession(getAuthOptions()));
}

/** The SessionResolver withApi uses for the web page's own API calls. */
export async function sessionUserOf(request: Request): Promise<string | null> {
  // Most API calls carry no session: skip the JWT work unless the cookie is there.
  if (!hasSessionCookie(request.headers)) return null;
  return currentSessionUserId();
}

/** The signed-in user for server components and actions (null when signed out). */
export async function getCurrentUser(): Promise<UserRecord | null> {
  const id = await currentSessionUserId();
  // The account may have been deleted after the JWT was issued.
  return id ? getUser(id) : null;
}
