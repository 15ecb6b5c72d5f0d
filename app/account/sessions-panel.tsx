// The account's signed-in browsers: when each was last used, end one, or sign out everywhere.
import { endAllSessionsAction, endSessionAction } from './actions';
import styles from './account.module.css';

export type SessionRow = {
  id: string;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
};

/** A short name for a browser from its User-Agent (the full string is in the title). */
function browserName(agent: string | null): string {
  if (!agent) return 'Unknown browser';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : /curl|node|undici|python/i.test(agent)
            ? 'Script'
            : 'Browser';
  const os = /Windows/.test(agent)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(agent)
      ? 'macOS'
      : /Android/.test(agent)
        ? 'Android'
        : /iPhone|iPad/.test(agent)
          ? 'iOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function SessionsPanel({ sessions }: { sessions: SessionRow[] }) {
  return (
    <section className={styles.card} aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signed-in browsers</h2>
      <p className={styles.muted}>
        Each session ends by itself a week after signing in. End the ones you do not recognise, or all of
        them.
      </p>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col" className={styles.hideNarrow}>
              Signed in
            </th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className={styles.visuallyHidden}>Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td title={s.userAgent ?? undefined}>{browserName(s.userAgent)}</td>
              <td className={styles.hideNarrow}>{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>
                {s.current ? (
                  <span className={styles.muted}>this browser</span>
                ) : (
                  <form action={endSessionAction}>
                    <input type="hidden" name="id" value={s.id} />
                    <button
                      type="submit"
                      className={styles.danger}
                      aria-label={`End session ${browserName(s.userAgent)}, last used ${when(s.lastSeenAt)}`}
                    >
                      End
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={endAllSessionsAction}>
        <button type="submit" className={styles.danger}>
          End all sessions
        </button>
      </form>
    </section>
  );
}
