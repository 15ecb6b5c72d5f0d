/** POST /api/v1/batches: many images or one zip, converted asynchronously (logic in lib/api/batch-endpoints.ts). */
import { createBatchHandlers } from '@/lib/api/batch-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handlers = createBatchHandlers();

export const POST = withApi({ route: '/api/v1/batches', scope: 'batch:write' }, handlers.create);
export const OPTIONS = corsPreflight('POST');
export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/batches', ['POST']);
