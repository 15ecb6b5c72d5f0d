/** /ops: live operations dashboard (health, traffic, conversions, quality trend, cache). Restrict it at the proxy. */
import type { Metadata } from 'next';
import { collectOpsSnapshot } from '@/lib/ops/snapshot';
import { OpsDashboard } from './ops-dashboard';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Operations · AI SVG Converter', robots: { index: false } };

export default async function OpsPage() {
  const snapshot = await collectOpsSnapshot();
  return (
    <main id="main" className="page">
      <h1 className="page-title">Operations</h1>
      <OpsDashboard initial={snapshot} />
    </main>
  );
}
