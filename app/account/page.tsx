// /account: sign in or create an account; signed in, manage API keys for the REST API.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { API_KEY_SCOPES, listApiKeys } from '@/lib/auth/api-keys';
import { getCurrentUser, listSessions } from '@/lib/auth/sessions';
import { ApiKeysPanel, SignOutButton, type KeyRow } from './api-keys-panel';
import { AuthForms } from './auth-forms';
import { SessionsPanel, type SessionRow } from './sessions-panel';
import styles from './account.module.css';

export const metadata: Metadata = { title: 'Account · AI SVG Converter' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const user = await getCurrentUser((await headers()).get('cookie'));
  if (!user) {
    return (
      <main id="main" className={styles.page}>
        <div className={styles.header}>
          <h1 className="page-title">Account</h1>
          <Link href="/">Back to the converter</Link>
        </div>
        <p className={styles.muted}>
          Sign in to create API keys for the REST API. Converting in the browser needs no account.
        </p>
        <AuthForms />
      </main>
    );
  }
  const keys: KeyRow[] = (await listApiKeys(user.id)).map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
  const sessions: SessionRow[] = (await listSessions(user.id, user.sessionId)).map((s) => ({
    id: s.id,
    userAgent: s.userAgent,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    current: s.current,
  }));
  return (
    <main id="main" className={styles.page}>
      <div className={styles.header}>
        <h1 className="page-title">Account</h1>
        <span className={styles.muted}>
          Signed in as <strong>{user.email}</strong> · <SignOutButton /> · <Link href="/">Converter</Link>
        </span>
      </div>
      <ApiKeysPanel keys={keys} scopes={API_KEY_SCOPES} />
      <SessionsPanel sessions={sessions} />
    </main>
  );
}
