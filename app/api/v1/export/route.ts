/** POST /api/v1/export: a finished SVG in another format (logic in lib/api/export-endpoint.ts). */
import { corsPreflight } from '@/lib/api/cors';
import { handleExport } from '@/lib/api/export-endpoint';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// exporting a finished SVG is part of converting: a key that may convert may export what it converted
export const POST = withApi({ route: '/api/v1/export', scope: 'convert' }, handleExport);
export const OPTIONS = corsPreflight('POST');
export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/export', ['POST']);
