// The signed-in user for server components and actions (null when signed out).
import { getServerSession } from 'next-auth';
import { getAuthOptions, sessionUserId } from '@/lib/auth/options';
import { getUser, type UserRecord } from '@/lib/db/users';

export async function getCurrentUser(): Promise<UserRecord | null> {
  const id = sessionUserId(await getServerSession(getAuthOptions()));
  // The account may have been deleted after the JWT was issued.
  return id ? getUser(id) : null;
}
