'use client';
// Create (shown once), list and revoke API keys.
import { signOut } from 'next-auth/react';
import { useActionState, useState } from 'react';
import { createKeyAction, revokeKeyAction, type CreateKeyState } from './actions';
import styles from './account.module.css';
import { TextField } from './text-field';

export type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const SCOPE_LABELS: Record<string, string> = {
  convert: 'Convert images',
  'history:read': 'Read history',
  'batch:write': 'Submit and cancel batches',
  'batch:read': 'Read batches and their results',
};

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

/** Revoking is final (the key stops working at once), so it takes a second, explicit click. */
function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={styles.danger}
        aria-label={`Revoke key ${name}`}
        onClick={() => setAsking(true)}
      >
        Revoke
      </button>
    );
  }
  return (
    <form
      action={revokeKeyAction}
      className={styles.confirm}
      role="group"
      aria-label={`Confirm revoking ${name}`}
    >
      <span>Revoke “{name}”? Programs using it stop working at once.</span>
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={styles.danger} aria-label={`Yes, revoke key ${name}`} autoFocus>
        Yes, revoke
      </button>
      <button type="button" className={styles.linkButton} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </form>
  );
}

export function SignOutButton() {
  return (
    <button type="button" className={styles.linkButton} onClick={() => signOut({ callbackUrl: '/account' })}>
      Sign out
    </button>
  );
}

export function ApiKeysPanel({ keys, scopes }: { keys: KeyRow[]; scopes: readonly string[] }) {
  const [state, formAction, creating] = useActionState(createKeyAction, {} as CreateKeyState);
  const [copied, setCopied] = useState(false);

  return (
    <>
      <section className={styles.card} aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        <form action={formAction}>
          <TextField
            id="key-name"
            label="Name"
            name="name"
            type="text"
            placeholder="e.g. build server"
            maxLength={100}
            required
            defaultValue={state.error ? state.values?.name : undefined}
          />
          <fieldset className={styles.checks}>
            <legend className={styles.legend}>Scopes</legend>
            {scopes.map((s) => (
              <label key={s}>
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === 'convert'} />{' '}
                {SCOPE_LABELS[s] ?? s}
              </label>
            ))}
          </fieldset>
          <button className={styles.primary} type="submit" disabled={creating}>
            {creating ? 'Creating…' : 'Create key'}
          </button>
          {state.error && (
            <p className={styles.error} role="alert">
              {state.error}
            </p>
          )}
        </form>
        {state.key && (
          <div className={styles.secret} role="status" aria-live="polite">
            <strong>Key “{state.name}” created. Copy it now: it will not be shown again.</strong>
            <code data-testid="new-api-key">{state.key}</code>
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard.writeText(state.key ?? '');
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy key'}
            </button>
            <p className={styles.muted}>
              Use it as{' '}
              <code style={{ display: 'inline', padding: 0 }}>Authorization: Bearer &lt;key&gt;</code> on{' '}
              <code style={{ display: 'inline', padding: 0 }}>/api/v1/convert</code>.
            </p>
          </div>
        )}
      </section>

      <section className={styles.card} aria-labelledby="keys-title">
        <h2 id="keys-title">Your API keys</h2>
        {keys.length === 0 ? (
          <p className={styles.muted}>No keys yet.</p>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col" className={styles.hideNarrow}>
                  Scopes
                </th>
                <th scope="col" className={styles.hideNarrow}>
                  Last used
                </th>
                <th scope="col">
                  <span className={styles.visuallyHidden}>Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className={k.revokedAt ? styles.revoked : undefined}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td className={styles.hideNarrow}>{k.scopes.join(', ')}</td>
                  <td className={styles.hideNarrow}>{when(k.lastUsedAt)}</td>
                  <td>
                    {k.revokedAt ? (
                      <span className={styles.muted}>revoked</span>
                    ) : (
                      <RevokeKeyButton id={k.id} name={k.name} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
