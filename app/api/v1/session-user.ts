/** The signed-in web user behind an API request (next-auth session cookie), for the shared API wrapper. */
import { getServerSession } from 'next-auth';
import { getAuthOptions, sessionUserId } from '@/lib/auth/options';

export async function sessionUser(request: Request): Promise<string | null> {
  // Most API calls carry no session: skip the JWT work unless the cookie is there.
  if (!/next-auth\.session-token=/.test(request.headers.get('cookie') ?? '')) return null;
  return sessionUserId(await getServerSession(getAuthOptions()));
}
