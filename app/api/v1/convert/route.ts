/** POST /api/v1/convert: raster image in, SVG out (logic in lib/api/convert-endpoint.ts). */
import { createConvertHandler } from '@/lib/api/convert-endpoint';
import { corsPreflight } from '@/lib/api/cors';
import { withApi } from '@/lib/api/with-api';
import { sessionUserOf } from '@/lib/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withApi({ route: '/api/v1/convert', session: sessionUserOf }, createConvertHandler());
export const OPTIONS = corsPreflight('POST');
