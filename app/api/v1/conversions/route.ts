/** GET /api/v1/conversions: the caller's recorded conversions (logic in lib/api/history-endpoints.ts). */
import { handleListConversions } from '@/lib/api/history-endpoints';
import { corsPreflight } from '@/lib/api/cors';
import { withApi } from '@/lib/api/with-api';
import { sessionUserOf } from '@/lib/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withApi({ route: '/api/v1/conversions', session: sessionUserOf }, handleListConversions);
export const OPTIONS = corsPreflight('GET');
