/** GET /api/v1/batches/{id}/download: the results as a streamed zip with a manifest (lib/api/batch-endpoints.ts). */
import { createBatchHandlers } from '@/lib/api/batch-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handlers = createBatchHandlers();

export const GET = withApi<{ id: string }>(
  { route: '/api/v1/batches/{id}/download', scope: 'batch:read' },
  handlers.download,
);
export const OPTIONS = corsPreflight('GET');
export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/batches/{id}/download', ['GET']);
