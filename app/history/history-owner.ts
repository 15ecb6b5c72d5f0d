// Whose history the history pages show (the rule is lib/auth's browserHistoryOwner): the signed-in user, else
// the browser holding the history cookie.
import { cookies, headers } from 'next/headers';
import { browserHistoryOwner } from '@/lib/auth/caller';
import { HISTORY_COOKIE } from '@/lib/auth/history-token';
import { getCurrentUser } from '@/lib/auth/sessions';
import type { HistoryOwner } from '@/lib/db/conversions';

/** Null for a browser that has never converted anything (nothing of anyone's is shown to it). */
export async function getHistoryOwner(): Promise<HistoryOwner | null> {
  const user = await getCurrentUser((await headers()).get('cookie')).catch(() => null);
  return browserHistoryOwner(user?.id ?? null, (await cookies()).get(HISTORY_COOKIE)?.value);
}
