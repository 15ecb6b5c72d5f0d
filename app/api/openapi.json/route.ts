/** GET /api/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas the API validates with. */
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';

export const GET = withApi({ route: '/api/openapi.json', scope: 'public', rateLimited: false }, () =>
  Response.json(buildOpenApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }),
);
export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods('/api/openapi.json', ['GET']);
