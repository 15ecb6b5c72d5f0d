/** /ops: live operations dashboard (health, traffic, conversions, quality trend, cache). Restrict it at the proxy. */
import type { Metadata } from 'next';
import { collectOpsSnapshot } from '@/lib/ops/snapshot';
import { OpsDashboard } from './ops-dashboard';
import styles from './ops.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Operations · AI SVG Converter', robots: { index: false } };

export default async function OpsPage() {
  const snapshot = await collectOpsSnapshot();
  return (
    <main className={styles.main}>
      <h1>Operations</h1>
      <OpsDashboard initial={snapshot} />
    </main>
  );
}
