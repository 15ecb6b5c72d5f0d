/**
 * The OpenAPI 3.1 document of the public API, generated from the zod schemas the handlers validate with
 * (zod 4's JSON Schema output is draft 2020-12, which is what OpenAPI 3.1 uses).
 */
import { z } from 'zod';
import {
  batchCreatedSchema,
  batchMultipartBodySchema,
  batchStatusSchema,
  conversionDetailSchema,
  conversionListSchema,
  conversionQuerySchema,
  convertJsonBodySchema,
  convertMultipartBodySchema,
  convertOptionsSchema,
  convertProgressEventSchema,
  convertQuerySchema,
  convertResponseSchema,
  exportQuerySchema,
  listConversionsQuerySchema,
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

/** Query parameters from the zod schema the handler parses the query with (all optional unless required). */
function queryParameters(schema: z.ZodObject): JsonObject[] {
  type Json = { properties: Record<string, JsonObject>; required?: string[] };
  // what is required comes from the input side; ranges from the output side, past the string coercion
  const input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const output = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  return Object.entries(output.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: input.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** The binary and text formats an export can answer with (see lib/export). */
const fileContent = {
  'image/svg+xml': { schema: { type: 'string' } },
  'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
  'application/postscript': { schema: { type: 'string' } },
  'image/vnd.dxf': { schema: { type: 'string' } },
  'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
};

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
      ['BatchMultipartRequest', batchMultipartBodySchema],
    ],
    'input',
  );
  const responseSchemas = componentSchemas(
    [
      ['ConvertResponse', convertResponseSchema],
      ['TraceParams', traceParamsSchema],
      ['ConversionList', conversionListSchema],
      ['ConversionDetail', conversionDetailSchema],
      ['ConvertProgressEvent', convertProgressEventSchema],
      ['Problem', problemSchema],
      ['BatchCreated', batchCreatedSchema],
      ['BatchStatus', batchStatusSchema],
    ],
    'output',
  );
  const multipart = requestSchemas.ConvertMultipartRequest as { properties: Record<string, JsonObject> };
  // Binary file parts: OpenAPI 3.1 describes them with contentMediaType rather than format: binary.
  multipart.properties.file = { ...multipart.properties.file, contentMediaType: 'application/octet-stream' };
  const batchParts = requestSchemas.BatchMultipartRequest as { properties: Record<string, JsonObject> };
  batchParts.properties.files = {
    ...batchParts.properties.files,
    items: { type: 'string', contentMediaType: 'application/octet-stream' },
  };

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
      { name: 'Batches', description: 'Many images converted asynchronously, collected as one zip.' },
    ],
    paths: {
      '/api/v1/convert': {
        post: {
          tags: ['Conversion'],
          operationId: 'convertImage',
          summary: 'Convert a raster image to SVG',
          description:
            'Send the image as multipart/form-data (field `file`, optional `options` JSON string), as JSON with a base64 `image`, ' +
            'or as a raw image body (options as query parameters). The answer is JSON by default; `?format=` (or the Accept ' +
            'header) asks for the SVG itself or a PDF, EPS, DXF or PNG of it instead. `Accept: application/x-ndjson` streams ' +
            'one ConvertProgressEvent per line (queued, decode, analyse, trace, measure) and then the result or the problem. ' +
            'Options may also be given as query parameters, for any body that carries none of its own; an unknown or ' +
            'invalid query parameter is a 400 whatever the body. An API key needs the `convert` scope. ' +
            'Every conversion is recorded in the caller’s history with its original and options.',
          security,
          parameters: [...queryParameters(convertQuerySchema), requestIdHeader],
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
                'application/x-ndjson': {
                  schema: ref('ConvertProgressEvent'),
                  description: 'One event per line; the last is the result or the problem.',
                },
                ...fileContent,
              },
            },
            '400': problemResponse('Invalid options, query or body; `errors` lists each field.'),
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
          parameters: [...queryParameters(listConversionsQuerySchema), requestIdHeader],
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
            "Same ownership rules as the listing. Another caller's conversion answers 404 exactly like a missing one, so ids reveal nothing. " +
            '`?format=` answers its SVG as a file in that format instead.',
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            ...queryParameters(conversionQuerySchema),
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The conversion, or its SVG in the asked format.',
              content: { 'application/json': { schema: ref('ConversionDetail') }, ...fileContent },
            },
            '400': problemResponse('Invalid query.'),
            '403': problemResponse('The API key lacks the `history:read` scope.'),
            '404': problemResponse(
              "No conversion with this id that the caller owns (someone else's looks the same as none).",
            ),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
      '/api/v1/conversions/{id}/original': {
        get: {
          tags: ['History'],
          operationId: 'getConversionOriginal',
          summary: 'The original image of one of your recorded conversions',
          description:
            'The uploaded bytes as they were received, with their media type. Same ownership rules as the conversion.',
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The original image.',
              content: {
                'image/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
              },
            },
            '403': problemResponse('The API key lacks the `history:read` scope.'),
            '404': problemResponse('No conversion with this id that the caller owns, or none kept for it.'),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
      '/api/v1/batches': {
        post: {
          tags: ['Batches'],
          operationId: 'createBatch',
          summary: 'Submit many images (or one zip of images) for asynchronous conversion',
          description:
            'Answers 202 at once with the batch id; poll `GET /api/v1/batches/{id}` (or pass `callbackUrl`) and fetch ' +
            'the results zip from `/download`. Files go in repeated `files` parts, or as one zip (as a part, or as the ' +
            'whole body with `Content-Type: application/zip` and the options in the query). A file that is not an ' +
            'image, too large or undecodable fails that item only. Limits: BATCH_SIZE files, BATCH_MAX_BYTES bytes, ' +
            'BATCH_MAX_IN_FLIGHT unfinished batches per caller. Needs the `batch:write` scope. The webhook is a POST of ' +
            '`{event, id, status, progress, links}` with `X-Signature: sha256=<hex HMAC-SHA256 of the body>`, retried ' +
            'with backoff; it goes to public http(s) addresses only.',
          security,
          parameters: [
            ...['mode', 'quality', 'targetSsim', 'formats', 'callbackUrl'].map((name) => ({
              name,
              in: 'query',
              required: false,
              description: 'For a zip body: the same as the multipart field.',
              schema: { type: 'string' },
            })),
            requestIdHeader,
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: ref('BatchMultipartRequest') },
              'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } },
            },
          },
          responses: {
            '202': {
              description: 'Accepted; the items are queued (Location: the batch).',
              content: { 'application/json': { schema: ref('BatchCreated') } },
            },
            '400': problemResponse('Invalid options, formats or callbackUrl, no files, or a broken zip.'),
            '403': problemResponse('The API key lacks the `batch:write` scope.'),
            '413': problemResponse('More files or bytes than a batch may hold.'),
            '415': problemResponse('Neither multipart/form-data nor a zip body.'),
            '429': problemResponse('Rate limit, or too many unfinished batches.', true),
            '503': problemResponse('The batch queue is past its bound or unavailable.', true),
          },
        },
      },
      '/api/v1/batches/{id}': {
        get: {
          tags: ['Batches'],
          operationId: 'getBatch',
          summary: 'Status, progress and every item of one of your batches',
          description:
            "Each item: queued, running, done (type, tier, RGB-SSIM, bytes, its history id) or failed (its problem). Someone else's batch answers 404. Needs `batch:read`.",
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The batch.',
              content: { 'application/json': { schema: ref('BatchStatus') } },
            },
            '403': problemResponse('The API key lacks the `batch:read` scope.'),
            '404': problemResponse('No batch with this id that the caller owns.'),
          },
        },
        delete: {
          tags: ['Batches'],
          operationId: 'cancelBatch',
          summary: 'Cancel what has not run yet',
          description:
            'Queued items become cancelled; running ones finish. Answers the batch. Needs `batch:write`.',
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The batch after the cancel (with `cancelledItems`).',
              content: { 'application/json': { schema: ref('BatchStatus') } },
            },
            '403': problemResponse('The API key lacks the `batch:write` scope.'),
            '404': problemResponse('No batch with this id that the caller owns.'),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
      '/api/v1/batches/{id}/download': {
        get: {
          tags: ['Batches'],
          operationId: 'downloadBatch',
          summary: 'The results as a zip (streamed)',
          description:
            'manifest.json and manifest.csv (file, state, output, type, tier, ssim, bytes, error), then each done item as ' +
            '<name>.svg (folders of a zip upload kept) and each extra format asked for. Usable while the batch runs: it ' +
            'holds what is done so far. Needs `batch:read`.',
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            requestIdHeader,
          ],
          responses: {
            '200': {
              description: 'The zip.',
              content: {
                'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } },
              },
            },
            '403': problemResponse('The API key lacks the `batch:read` scope.'),
            '404': problemResponse('No batch with this id that the caller owns.'),
            '429': problemResponse('Rate limit exceeded.', true),
          },
        },
      },
      '/api/v1/export': {
        post: {
          tags: ['Conversion'],
          operationId: 'exportSvg',
          summary: 'A finished SVG in another format (PDF, EPS, DXF, PNG)',
          description:
            'For SVGs edited after conversion (recoloured swatches, for example). The SVG must be one the exporters draw ' +
            'completely: filled paths and shapes, groups, transforms, linear and radial gradients (userSpaceOnUse), ' +
            'fill and stop opacities; text, images, strokes and unsafe content are refused with 422.',
          security,
          parameters: [...queryParameters(exportQuerySchema), requestIdHeader],
          requestBody: { required: true, content: { 'image/svg+xml': { schema: { type: 'string' } } } },
          responses: {
            '200': {
              description: 'The file, as a download.',
              headers: rateLimitHeaders,
              content: fileContent,
            },
            '400': problemResponse('Invalid query; `errors` lists each field.'),
            '403': problemResponse('The API key lacks the `convert` scope.'),
            '413': problemResponse('The SVG is larger than 8 MB, or the PNG would be too large.'),
            '415': problemResponse('The body is not image/svg+xml.'),
            '422': problemResponse(
              'The SVG cannot be exported (the detail says what it contains that cannot).',
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
