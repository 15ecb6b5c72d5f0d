/** POST /api/v1/convert: raster image in, SVG out (logic in lib/api/convert-endpoint.ts). */
import { createConvertHandler } from '@/lib/api/convert-endpoint';
import { corsPreflight } from '@/lib/api/cors';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withApi({ route: '/api/v1/convert', scope: 'convert' }, createConvertHandler());
export const OPTIONS = corsPreflight('POST');
export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/convert', ['POST']);
