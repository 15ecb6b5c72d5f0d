/** GET /api/v1/conversions: the caller's recorded conversions (logic in lib/api/history-endpoints.ts). */
import { handleListConversions } from '@/lib/api/history-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withApi({ route: '/api/v1/conversions', scope: 'history:read' }, handleListConversions);
export const OPTIONS = corsPreflight('GET');
export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/conversions', ['GET']);
