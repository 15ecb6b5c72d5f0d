/** GET /api/v1/conversions/{id}/original: the uploaded image a recorded conversion was made from. */
import { corsPreflight } from '@/lib/api/cors';
import { handleGetConversionOriginal } from '@/lib/api/history-endpoints';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(
  { route: '/api/v1/conversions/{id}/original', scope: 'history:read' },
  handleGetConversionOriginal,
);
export const OPTIONS = corsPreflight('GET');
export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/conversions/{id}/original', ['GET']);
