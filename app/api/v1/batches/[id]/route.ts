/** GET /api/v1/batches/{id}: status and items; DELETE cancels what has not run (lib/api/batch-endpoints.ts). */
import { createBatchHandlers } from '@/lib/api/batch-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handlers = createBatchHandlers();

export const GET = withApi<{ id: string }>(
  // polled while a batch runs: not counted against the rate limit
  { route: '/api/v1/batches/{id}', scope: 'batch:read', rateLimited: false },
  handlers.get,
);
export const DELETE = withApi<{ id: string }>(
  { route: '/api/v1/batches/{id}', scope: 'batch:write' },
  handlers.cancel,
);
export const OPTIONS = corsPreflight('GET, DELETE');
export const { POST, PUT, PATCH } = refuseOtherMethods('/api/v1/batches/{id}', ['GET', 'DELETE']);
