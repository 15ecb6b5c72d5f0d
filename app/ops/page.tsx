/** /ops: live operations dashboard (health, traffic, conversions, quality trend, cache). Access: lib/auth. */
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { authorizeOpsAccess } from '@/lib/auth/ops-access';
import { collectOpsSnapshot } from '@/lib/ops/snapshot';
import { OpsDashboard } from './ops-dashboard';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Operations · AI SVG Converter', robots: { index: false } };

export default async function OpsPage() {
  // A refused visitor sees the page as missing rather than learning it exists.
  if (!(await authorizeOpsAccess('ops', await headers())).allowed) notFound();
  const snapshot = await collectOpsSnapshot();
  return (
    <main id="main" className="page">
      <h1 className="page-title">Operations</h1>
      <OpsDashboard initial={snapshot} />
    </main>
  );
}
