/** GET /api/v1/conversions/{id}: one recorded conversion with its SVG (logic in lib/api/history-endpoints.ts). */
import { handleGetConversion } from '@/lib/api/history-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>(
  { route: '/api/v1/conversions/{id}', scope: 'history:read' },
  handleGetConversion,
);
export const OPTIONS = corsPreflight('GET');
export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/conversions/{id}', ['GET']);
