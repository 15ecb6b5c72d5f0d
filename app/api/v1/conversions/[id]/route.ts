/** GET /api/v1/conversions/{id}: one recorded conversion with its SVG. */
import { handleGetConversion } from '@/lib/api/history-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withApi<{ id: string }>({ route: '/api/v1/conversions/{id}' }, handleGetConversion);
export const OPTIONS = corsPreflight('GET');
