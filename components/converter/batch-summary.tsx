'use client';
/** One line per batch of images added together (a drop, a pick, a folder): progress, failures, quality, sizes. */
import { formatBytes, formatSsim } from './format';
import styles from './converter.module.css';

export type BatchFigures = {
  id: string;
  label: string;
  total: number;
  done: number;
  failed: number;
  /** Mean RGB-SSIM of the finished ones (null when none was measured). */
  meanSsim: number | null;
  svgBytes: number;
  inputBytes: number;
};

export function BatchSummary({ batches }: { batches: BatchFigures[] }) {
  if (batches.length === 0) return null;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.batchTable} data-testid="batch-summary">
        <caption className={styles.caption}>
          {batches.length === 1 ? 'This batch' : `${batches.length} batches`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Batch</th>
            <th scope="col">Converted</th>
            <th scope="col">Failed</th>
            <th scope="col" title="Mean structural similarity of the SVGs to their originals; 1 = identical">
              Mean SSIM
            </th>
            <th scope="col">SVG size</th>
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => (
            <tr key={b.id} data-batch={b.id}>
              <th scope="row">{b.label}</th>
              <td>
                {b.done} of {b.total}
              </td>
              <td data-failed={b.failed > 0 || undefined}>{b.failed}</td>
              <td>{formatSsim(b.meanSsim)}</td>
              <td>
                {formatBytes(b.svgBytes)}
                {b.inputBytes > 0 && b.svgBytes > 0 && (
                  <span className={styles.muted}>
                    {' '}
                    ({Math.round((b.svgBytes / b.inputBytes) * 100)}% of the originals)
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
