/** GET /api/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas the API validates with. */
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { withApi } from '@/lib/api/with-api';

export const runtime = 'nodejs';

export const GET = withApi({ route: '/api/openapi.json', auth: 'none', rateLimited: false }, () =>
  Response.json(buildOpenApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }),
);
