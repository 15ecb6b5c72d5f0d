/** POST /api/v1/convert: raster image in, SVG out (logic in lib/api/convert-endpoint.ts). */
import { createConvertHandler } from '@/lib/api/convert-endpoint';
import { corsPreflight } from '@/lib/api/cors';
import { withApi } from '@/lib/api/with-api';
import { sessionUser } from '../session-user';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withApi({ route: '/api/v1/convert', session: sessionUser }, createConvertHandler());
export const OPTIONS = corsPreflight('POST');
