/**
 * The OpenAPI 3.1 document of the public API, generated from the zod schemas the handlers validate with
 * (zod 4's JSON Schema output is draft 2020-12, which is what OpenAPI 3.1 uses).
 */
import { z } from 'zod';
import {
  conversionDetailSchema,
  conversionListSchema,
  convertJsonBodySchema,
  convertMultipartBodySchema,
  convertOptionsSchema,
  convertResponseSchema,
  problemSchema,
  traceParamsOverridesSchema,
  traceParamsSchema,
} from './schemas';

type JsonObject = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Components from one registry; requests are described as accepted (input), responses as sent (output). */
function componentSchemas(
  entries: [string, z.ZodType][],
  io: 'input' | 'output',
): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
    void _s;
    void _i;
    out[id] = rest;
  }
  return out;
}

const problemResponse = (description: string, retryAfter = false) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
  ...(retryAfter
    ? {
        headers: {
          'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
        },
      }
    : {}),
});

const requestIdHeader = {
  name: 'x-request-id',
  in: 'header',
  required: false,
  description: 'Your own id for this request (8-128 of A-Z a-z 0-9 . _ : -); echoed back and logged.',
  schema: { type: 'string' },
};

const rateLimitHeaders = {
  'x-request-id': { description: 'The request id (yours or a generated one).', schema: { type: 'string' } },
  'RateLimit-Limit': {
    description: 'Requests allowed per window for this caller.',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};

const security = [{}, { bearerAuth: [] }, { apiKeyHeader: [] }];

export function buildOpenApiDocument(options: { serverUrl?: string; version?: string } = {}): JsonObject {
  const requestSchemas = componentSchemas(
    [
      ['ConvertOptions', convertOptionsSchema],
      ['TraceParamsOverrides', traceParamsOverridesSchema],
      ['ConvertJsonRequest', convertJsonBodySchema],
      ['ConvertMultipartRequest', convertMultipartBodySchema],
    ],
    'input',
  );
  const responseSchemas = componentSchemas(
    [
      ['ConvertResponse', convertResponseSchema],
      ['TraceParams', traceParamsSchema],
      ['ConversionList', conversionListSchema],
      ['ConversionDetail', conversionDetailSchema],
      ['Problem', problemSchema],
    ],
    'output',
  );
  const multipart = requestSchemas.ConvertMultipartRequest as { properties: Record<string, JsonObject> };
  // Binary file parts: OpenAPI 3.1 describes them with contentMediaType rather than format: binary.
  multipart.properties.file = { ...multipart.properties.file, contentMediaType: 'application/octet-stream' };

  return {
    openapi: '3.1.0',
    info: {
      title: 'AI SVG Converter API',
      version: options.version ?? '1.0.0',
      description:
        'Turns raster logos, icons, word marks and illustrations into clean, small SVG and reports how faithful the result is (SSIM). ' +
        'Errors are RFC 9457 problem details. Anonymous use is allowed with a lower rate limit unless the server requires API keys.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: [
      { name: 'Conversion', description: 'Convert images to SVG.' },
      { name: 'History', description: 'Recorded conversions.' },
    ],
    paths: {
      '/api/v1/convert': {
        post: {
          tags: ['Conversion'],
          operationId: 'convertImage',
          summary: 'Convert a raster image to SVG',
          description:
            'Send the image as multipart/form-data (field `file`, optional `options` JSON string), as JSON with a base64 `image`, ' +
            'or as a raw image body. Options may also be given as query parameters, for any body that carries none ' +
            'of its own; an unknown or invalid query parameter is a 400 whatever the body. An API key needs the ' +
            '`convert` scope. The answer is JSON, or the SVG itself with `Accept: image/svg+xml` or `?format=svg`.',
          security,
          parameters: [
            {
              name: 'format',
              in: 'query',
              required: false,
              description: 'svg returns the SVG document itself; json (default) the JSON result.',
              schema: { type: 'string', enum: ['json', 'svg'] },
            },
            {
              name: 'mode',
              in: 'query',
              required: false,
              description: 'Tracing mode, for a body without options of its own.',
              schema: { type: 'string', enum: ['auto', 'color', 'mono'] },
            },
            {
              name: 'quality',
              in: 'query',
              required: false,
              description: 'Quality tier, for a body without options of its own.',
              schema: { type: 'string', enum: ['fast', 'balanced', 'best'] },
            },
            requestIdHeader,
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: ref('ConvertMultipartRequest') },
              'application/json': { schema: ref('ConvertJsonRequest') },
              'image/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
            },
          },
          responses: {
            '200': {
              description: 'The SVG and its measurements.',
              headers: rateLimitHeaders,
              content: {
                'application/json': { schema: ref('ConvertResponse') },
                'image/svg+xml': { schema: { type: 'string' } },
              },
            },
            '400': problemResponse('Invalid options or body; `errors` lists each field.'),
            '401': problemResponse(
              'Missing (when keys are required), malformed, unknown or revoked API key.',
            ),
            '403': problemResponse('The API key lacks the `convert` scope.'),
            '413': problemResponse('The upload or the image dimensions exceed the limits.'),
            '415': problemResponse('Not a supported raster format (PNG, JPEG, WebP, GIF, TIFF, AVIF).'),
            '422': problemResponse('Looks like an image but cannot be decoded (truncated, corrupt, empty).'),
            '429': problemResponse('Rate limit exceeded.', true),
            '500': problemResponse('Unexpected failure; quote `requestId` when reporting it.'),
            '503': problemResponse(
              'Every worker is busy and the queue is full, or too many uploads are being received at once (refused before the body is read).',
              true,
            ),
          },
        },
      },
      '/api/v1/conversions': {
        get: {
          tags: ['History'],
          operationId: 'listConversions',
          summary: 'List your own recorded conversions, newest first',
          description:
            "Only the caller's own conversions: an API key (it needs the history:read scope) sees its user's, a signed-in session its user's, and a signed-out browser those made with its httpOnly svgai_history cookie (set on its first conversion).",
          security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'One page of conversions.',
              content: { 'application/json': { schema: ref('ConversionList') } },
            },
            '400': problemResponse('Invalid limit or unknown cursor.'),
            '401': problemResponse(
              "The caller owns no history: send a user's API key, a session or the history cookie.",
            ),
            '403': problemResponse('The API key lacks the `history:read` scope.'),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
      '/api/v1/conversions/{id}': {
        get: {
          tags: ['History'],
          operationId: 'getConversion',
          summary: 'One of your recorded conversions with its SVG',
          description:
            "Same ownership rules as the listing. Another caller's conversion answers 404 exactly like a missing one, so ids reveal nothing.",
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The conversion.',
              content: { 'application/json': { schema: ref('ConversionDetail') } },
            },
            '403': problemResponse('The API key lacks the `history:read` scope.'),
            '404': problemResponse(
              "No conversion with this id that the caller owns (someone else's looks the same as none).",
            ),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
    },
    components: {
      schemas: { ...requestSchemas, ...responseSchemas },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api key>' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  };
}
