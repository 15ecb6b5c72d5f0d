/**
 * /history: the visitor's own recent conversions with their quality, newest first; each opens again at
 * /history/{id}. Signed in: the user's (browser and API keys); signed out: this browser's (history cookie).
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { listConversions, type ConversionSummary, type HistoryOwner } from '@/lib/db/conversions';
import { getHistoryOwner } from './history-owner';
import { formatBytes, formatImageType, formatMs, formatSsim } from '@/components/converter/format';
import styles from '@/components/history/history.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'History · AI SVG Converter' };

const PAGE_SIZE = 30;

async function loadPage(
  cursor: string | undefined,
  owner: HistoryOwner | null,
): Promise<{ items: ConversionSummary[]; nextCursor: string | null } | { error: string }> {
  if (!owner) return { items: [], nextCursor: null };
  try {
    return await listConversions(owner, { limit: PAGE_SIZE, cursor });
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidRecordError')
      return { error: 'That page no longer exists.' };
    return { error: 'The history is unavailable right now (the database could not be reached).' };
  }
}

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string | string[] }>;
}) {
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' && raw.length <= 64 ? raw : undefined;
  const owner = await getHistoryOwner();
  const signedIn = owner !== null && 'userId' in owner;
  const page = await loadPage(cursor, owner);
  const base = '/history';
  const pageLink = (c: string) => `${base}?cursor=${encodeURIComponent(c)}`;

  return (
    <main id="main" className="page">
      <h1 className="page-title">History</h1>
      <p className="page-lead">
        Your recent conversions and how faithful they were. Open one to see it again and download it.
      </p>
      <p className={styles.owner}>
        {signedIn ? (
          'Only you see these: conversions made while signed in and with your API keys.'
        ) : (
          <>
            Only this browser sees these. <Link href="/account">Sign in</Link> to keep conversions with your
            account.
          </>
        )}
      </p>
      {'error' in page ? (
        <p role="alert" className={styles.notice}>
          {page.error} <Link href={base}>Back to the newest</Link>
        </p>
      ) : page.items.length === 0 ? (
        <p className={styles.notice}>
          No conversions yet. <Link href="/">Convert an image</Link> and it will show up here.
        </p>
      ) : (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className={styles.caption}>
                {cursor
                  ? 'Older conversions'
                  : page.items.length === 1
                    ? 'Your most recent conversion'
                    : `Your ${page.items.length} most recent conversions`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Preview</th>
                  <th scope="col">File</th>
                  <th scope="col">When</th>
                  <th scope="col">Type</th>
                  <th scope="col" title="Structural similarity to the original; 1 = identical">
                    SSIM
                  </th>
                  <th scope="col">SVG size</th>
                  <th scope="col">Paths</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {/* eslint-disable-next-line @next/next/no-img-element -- same-origin SVG previews, sized by CSS */}
                      <img
                        src={`/history/${c.id}/svg`}
                        alt=""
                        className={styles.thumb}
                        loading="lazy"
                        width={48}
                        height={48}
                      />
                    </td>
                    <th scope="row">
                      <Link href={`/history/${c.id}`}>{c.fileName ?? `Conversion ${c.id.slice(0, 8)}`}</Link>
                      <div className={styles.muted}>
                        {c.width}×{c.height} · {c.source}
                      </div>
                    </th>
                    <td>
                      <time dateTime={c.createdAt.toISOString()}>
                        {c.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC
                      </time>
                    </td>
                    <td>
                      {formatImageType(c.type)}
                      <div className={styles.muted}>tier {c.tier}</div>
                    </td>
                    <td className={styles.num} data-quality={qualityBand(c.ssim)}>
                      {formatSsim(c.ssim)}
                    </td>
                    <td className={styles.num}>{formatBytes(c.bytes)}</td>
                    <td className={styles.num}>{c.paths}</td>
                    <td className={styles.num}>{formatMs(c.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className={styles.pager} aria-label="History pages">
            {cursor && <Link href={base}>Newest</Link>}
            {page.nextCursor && <Link href={pageLink(page.nextCursor)}>Older →</Link>}
          </nav>
        </>
      )}
    </main>
  );
}

function qualityBand(ssim: number | null): string {
  if (ssim === null) return 'unknown';
  return ssim >= 0.97 ? 'good' : ssim >= 0.9 ? 'fair' : 'poor';
}
