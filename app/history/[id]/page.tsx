/**
 * /history/{id}: one recorded conversion opened again: the original beside its SVG, measurements, the options
 * asked for and the parameters used, downloads in every format, and copy.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getConversion } from '@/lib/db/conversions';
import { formatBytes, formatImageType, formatMs, formatSsim } from '@/components/converter/format';
import { CompareView } from '@/components/compare-view/compare-view';
import { CopySvgButton } from '@/components/history/copy-svg-button';
import styles from '@/components/history/history.module.css';
import { getHistoryOwner } from '../history-owner';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Conversion · AI SVG Converter' };

const DOWNLOADS: [string, string][] = [
  ['PDF', 'format=pdf'],
  ['EPS', 'format=eps'],
  ['DXF', 'format=dxf'],
  ['PNG', 'format=png'],
  ['PNG 4×', 'format=png&scale=4'],
];

export default async function ConversionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const owner = await getHistoryOwner();
  // Not yours looks exactly like not there: a 404, never a hint that the id exists.
  const c = owner ? await getConversion(id, owner).catch(() => null) : null;
  if (!c) notFound();
  const name = c.fileName ?? `Conversion ${c.id.slice(0, 8)}`;
  const stats: [string, string][] = [
    [
      'Image type',
      `${formatImageType(c.type)}${c.confidence > 0 ? ` (${Math.round(c.confidence * 100)}%)` : ''}`,
    ],
    ['SSIM', formatSsim(c.ssim)],
    ['PSNR', c.psnr === null ? '—' : `${c.psnr.toFixed(1)} dB`],
    ['GMSD (edge error)', c.gmsd === null ? '—' : c.gmsd.toFixed(4)],
    ['SVG size', formatBytes(c.bytes)],
    ['Original size', formatBytes(c.inputBytes)],
    ['Paths', String(c.paths)],
    ['Time', formatMs(c.durationMs)],
    ['Tier', String(c.tier)],
    ['Dimensions', `${c.width}×${c.height}`],
  ];
  return (
    <main id="main" className="page">
      <p>
        <Link href="/history">← History</Link>
      </p>
      <h1 className="page-title">{name}</h1>
      <p className="page-lead">
        Converted{' '}
        <time dateTime={c.createdAt.toISOString()}>
          {c.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC
        </time>{' '}
        via {c.source}, {c.mode} mode.
      </p>
      <div className={styles.detail}>
        {c.inputType ? (
          <CompareView
            originalUrl={`/history/${c.id}/original`}
            svgUrl={`/history/${c.id}/svg`}
            width={c.width}
            height={c.height}
            label={name}
          />
        ) : (
          <div className={styles.preview} style={{ aspectRatio: `${c.width} / ${c.height}` }}>
            {/* eslint-disable-next-line @next/next/no-img-element -- same-origin SVG, never inlined as markup */}
            <img src={`/history/${c.id}/svg`} alt={`SVG result of ${name}`} />
          </div>
        )}
        <div>
          <dl className={styles.stats}>
            {stats.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <div className={styles.actions}>
            <a className={styles.button} href={`/history/${c.id}/svg?download`} download>
              Download SVG
            </a>
            <CopySvgButton svg={c.svg} />
          </div>
          <nav className={styles.formats} aria-label="Download in another format">
            <span>Also as:</span>
            {DOWNLOADS.map(([label, query]) => (
              <a key={label} href={`/history/${c.id}/download?${query}`} download>
                {label}
              </a>
            ))}
            {c.inputType && (
              <a href={`/history/${c.id}/original`} download={c.fileName ?? undefined}>
                Original
              </a>
            )}
          </nav>
          {c.options && (
            <details className={styles.params}>
              <summary>Options asked for</summary>
              <pre>{JSON.stringify(c.options, null, 2)}</pre>
            </details>
          )}
          <details className={styles.params}>
            <summary>Trace parameters</summary>
            <pre>{JSON.stringify(c.params, null, 2)}</pre>
          </details>
        </div>
      </div>
    </main>
  );
}
