/** POST /api/v1/export: a finished SVG in another format (logic in lib/api/export-endpoint.ts). */
import { corsPreflight } from '@/lib/api/cors';
import { handleExport } from '@/lib/api/export-endpoint';
import { withApi } from '@/lib/api/with-api';
import { sessionUserOf } from '@/lib/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withApi({ route: '/api/v1/export', session: sessionUserOf }, handleExport);
export const OPTIONS = corsPreflight('POST');
