// Whose history the history pages show: the signed-in user, else the browser holding the history cookie.
import { cookies } from 'next/headers';
import { getCurrentUser } from '@/app/account/current-user';
import { HISTORY_COOKIE, hashHistoryToken, parseHistoryToken } from '@/lib/auth/history-token';
import type { HistoryOwner } from '@/lib/db/conversions';

/** Null for a browser that has never converted anything (nothing of anyone's is shown to it). */
export async function getHistoryOwner(): Promise<HistoryOwner | null> {
  const user = await getCurrentUser().catch(() => null);
  if (user) return { userId: user.id };
  const token = parseHistoryToken((await cookies()).get(HISTORY_COOKIE)?.value);
  return token ? { browserTokenHash: hashHistoryToken(token) } : null;
}
