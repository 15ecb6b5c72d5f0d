/**
 * The zod schemas of the public API. Handlers validate with them and lib/api/openapi.ts turns the very same
 * objects into the OpenAPI 3.1 document, so the docs cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { conversionRequestSchema } from '@/lib/ai/request';
import { EXPORT_FORMATS, exportFormatSchema, exportOptionsSchema } from '@/lib/export/export-options';
import { svgOptionsSchema } from '@/lib/export/svg-options-schema';
import { backgroundWordSchema, inkOptionSchema } from '@/lib/vectorize/background/background-options';
import { conversionStageSchema } from '@/lib/vectorize/conversion-stage';
import { traceParamsOverridesSchema, traceParamsSchema } from '@/lib/vectorize/params';

export { traceParamsOverridesSchema, traceParamsSchema };

/** The options a caller may set: the conversion request's public fields (the rest are for the CLI and tests). */
export const convertOptionsSchema = conversionRequestSchema
  .pick({
    mode: true,
    quality: true,
    targetSsim: true,
    params: true,
    palette: true,
    background: true,
    ink: true,
  })
  .strict();

export type ConvertApiOptions = z.infer<typeof convertOptionsSchema>;

const outputFormatSchema = z
  .enum(['json', ...EXPORT_FORMATS])
  .describe(
    'What the answer is: json (default) the result with the SVG and its measurements; svg the document itself; pdf (vector, one page at the image size), eps, dxf (a layer per colour) or png (rendered at `scale`). Without it, the Accept header decides (image/svg+xml, application/pdf, application/postscript, image/vnd.dxf, image/png); Accept: application/x-ndjson streams progress (see ConvertProgressEvent).',
  );

/**
 * The query string of POST /api/v1/convert, whatever the body: unknown or invalid parameters are a 400, never
 * silently ignored. Its options apply to every kind of body that carries none of its own.
 */
export const convertQuerySchema = z.strictObject({
  format: outputFormatSchema.optional(),
  scale: z.coerce
    .number()
    .pipe(exportOptionsSchema.shape.scale.unwrap())
    .optional()
    .describe(exportOptionsSchema.shape.scale.description!),
  curves: exportOptionsSchema.shape.curves
    .unwrap()
    .optional()
    .describe(exportOptionsSchema.shape.curves.description!),
  mode: conversionRequestSchema.shape.mode
    .unwrap()
    .optional()
    .describe('The tracing mode, for bodies that carry no options of their own.'),
  quality: conversionRequestSchema.shape.quality
    .unwrap()
    .optional()
    .describe('The quality tier, for bodies that carry no options of their own.'),
  targetSsim: z.coerce
    .number()
    .pipe(conversionRequestSchema.shape.targetSsim.unwrap())
    .optional()
    .describe('An explicit RGB-SSIM target, for bodies that carry no options of their own.'),
  background: backgroundWordSchema
    .optional()
    .describe(
      'The background, for bodies that carry no options of their own: keep, drop (transparent) or a hex colour that replaces it (%23 for #).',
    ),
  ink: inkOptionSchema
    .optional()
    .describe('Mono: the ink colour, for bodies that carry no options of their own (%23 for #).'),
  ...svgQueryShape(),
});

/** The SVG output options as query parameters (`?svg=pretty&title=Logo&layers=true`). */
function svgQueryShape() {
  const { svg, title, layers } = svgOptionsSchema.shape;
  return {
    svg: svg.unwrap().optional().describe(svg.description!),
    title: title,
    layers: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe(layers.description!),
  };
}

export type ConvertQuery = z.output<typeof convertQuerySchema>;

/** Query parameters of POST /api/v1/export. */
export const exportQuerySchema = z.object({
  format: exportFormatSchema,
  scale: convertQuerySchema.shape.scale,
  curves: convertQuerySchema.shape.curves,
  svg: convertQuerySchema.shape.svg,
  title: convertQuerySchema.shape.title,
  layers: convertQuerySchema.shape.layers,
  name: z
    .string()
    .max(200)
    .optional()
    .describe('File name for the download (its extension is replaced by the format’s).'),
});

export const convertJsonBodySchema = z
  .object({
    image: z.string().min(1).describe('The raster image, base64 (a data: URL prefix is accepted).'),
    options: convertOptionsSchema.optional(),
  })
  .strict();

export const convertMultipartBodySchema = z.object({
  file: z.string().describe('The raster image (PNG, JPEG, WebP, GIF, TIFF, AVIF).'),
  options: z.string().optional().describe('ConvertOptions as a JSON string.'),
});

export const convertResponseSchema = z.object({
  id: z.string().describe('Conversion id; the history page and GET /api/v1/conversions/{id} use it.'),
  svg: z.string().describe('The SVG document.'),
  width: z.number().int(),
  height: z.number().int(),
  type: z.enum(['simple', 'text', 'gradient', 'complex']).describe('Image class the router detected.'),
  confidence: z.number().min(0).max(1),
  tier: z
    .union([z.literal(1), z.literal(2), z.literal(3)])
    .describe('Which parameter tier produced the SVG.'),
  iterations: z
    .number()
    .int()
    .min(1)
    .describe('Conversions the router ran: 1 for tiers 1 and 2, one per search step for tier 3.'),
  target: z.number().describe('The RGB-SSIM target: the class target for the detected type, or targetSsim.'),
  targetMet: z.boolean().describe('Whether quality.ssim reached the target.'),
  reason: z.string().describe('Why the router stopped, e.g. "target met", "time budget ran out" (tier 3).'),
  quality: z
    .object({
      ssim: z.number().nullable().describe('RGB-SSIM of the rendered SVG against the input (1 = identical).'),
      psnr: z.number().nullable().describe('PSNR in dB, capped at 100.'),
      gmsd: z
        .number()
        .nullable()
        .describe(
          'GMSD (gradient magnitude similarity deviation) on luminance: edge error, 0 = every edge in place, higher = worse.',
        ),
    })
    .describe('Measured fidelity; null when not measured.'),
  bytes: z.number().int().describe('SVG size in bytes.'),
  paths: z.number().int().describe('Number of <path> elements.'),
  durationMs: z.number().describe('Conversion time inside the worker.'),
  params: traceParamsSchema,
});

export type ConvertResponse = z.infer<typeof convertResponseSchema>;

export const problemSchema = z.object({
  type: z.string().describe('URI of the problem type (links into the API docs).'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  requestId: z.string().optional().describe('Quote this when reporting a problem.'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * One line of the NDJSON stream (Accept: application/x-ndjson): a stage as the conversion enters it, then exactly
 * one result or error line. The HTTP status is 200 once streaming starts; an error line carries its own status.
 */
export const convertProgressEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('stage'),
    stage: conversionStageSchema,
    attempt: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Which attempt traces or measures (tier 3 searches).'),
  }),
  z.object({ event: z.literal('result'), result: convertResponseSchema }),
  z.object({ event: z.literal('error'), problem: problemSchema }),
]);

export type ConvertProgressEvent = z.infer<typeof convertProgressEventSchema>;

/** Formats zod issues as the `errors` extension of a 400 problem. */
export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

const summaryFields = {
  id: z.string(),
  createdAt: z.string().describe('ISO 8601 time of the conversion.'),
  fileName: z.string().nullable(),
  inputBytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  type: z.string(),
  confidence: z.number(),
  tier: z.number().int(),
  mode: z.string(),
  ssim: z.number().nullable(),
  psnr: z.number().nullable(),
  gmsd: z.number().nullable().describe('GMSD edge error (0 = identical edges); null for older conversions.'),
  bytes: z.number().int(),
  paths: z.number().int(),
  durationMs: z.number(),
  source: z.string().describe('web, api or cli.'),
};

const conversionSummarySchema = z.object(summaryFields);

export const conversionListSchema = z.object({
  items: z.array(conversionSummarySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});

export const conversionDetailSchema = z.object({
  ...summaryFields,
  params: z.record(z.string(), z.unknown()),
  options: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The options asked for (ConvertOptions); null for conversions recorded before they were kept.'),
  inputType: z.string().nullable().describe('Media type of the original; GET …/{id}/original returns it.'),
  svg: z.string(),
});

/** Query of GET /api/v1/conversions/{id}: the JSON record, or the SVG in one format. */
export const conversionQuerySchema = z.object({
  format: outputFormatSchema
    .optional()
    .describe('json (default) the record; svg, pdf, eps, dxf or png its SVG as a file in that format.'),
  scale: convertQuerySchema.shape.scale,
  curves: convertQuerySchema.shape.curves,
  svg: convertQuerySchema.shape.svg,
  title: convertQuerySchema.shape.title,
  layers: convertQuerySchema.shape.layers,
});

export const listConversionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size (1..100).'),
    cursor: z.string().min(1).max(64).optional().describe('nextCursor of the previous page.'),
  })
  .strict();

/** Options of POST /api/v1/batches besides the files: the conversion options, extra formats and a webhook. */
export const batchRequestSchema = z.strictObject({
  options: convertOptionsSchema.prefault({}),
  formats: z
    .array(exportFormatSchema)
    .max(EXPORT_FORMATS.length)
    .default([])
    .describe('Formats the download carries besides SVG (pdf, eps, dxf, png), each made from the SVG.'),
  callbackUrl: z
    .string()
    .max(2048)
    .optional()
    .describe(
      'Notified with a POST when the batch ends (X-Signature: sha256=<HMAC-SHA256 of the body>); http(s) to a public address.',
    ),
});

export type BatchRequest = z.output<typeof batchRequestSchema>;

export const batchMultipartBodySchema = z.object({
  files: z
    .array(z.string())
    .describe('The images (repeat the field), or one zip of images (folders are kept in the result names).'),
  options: z.string().optional().describe('ConvertOptions as a JSON string (or mode / quality fields).'),
  formats: z.string().optional().describe('Comma list of extra formats, e.g. "pdf,png".'),
  callbackUrl: z.string().optional(),
});

const itemStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const batchCreatedSchema = z.object({
  id: z.string().describe('Batch id.'),
  status: z.enum(['queued', 'running', 'done', 'cancelled']),
  items: z.number().int().describe('Files in the batch (a zip counts its images).'),
  failed: z.number().int().describe('Files refused on arrival (not images, too large): failed items.'),
  links: z.object({ self: z.string(), download: z.string() }),
});

export const batchStatusSchema = z.object({
  id: z.string(),
  status: z
    .enum(['queued', 'running', 'done', 'cancelled'])
    .describe('done once every item is done or failed; cancelled once DELETE stopped what had not run.'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  formats: z.array(z.string()),
  progress: z.object({
    total: z.number().int(),
    queued: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    finished: z.number().int(),
    percent: z.number().describe('Finished items as a percentage of all.'),
  }),
  webhook: z
    .object({ state: z.string().nullable(), attempts: z.number().int() })
    .nullable()
    .describe('Delivery of the completion webhook; null without a callbackUrl.'),
  items: z.array(
    z.object({
      id: z.string(),
      position: z.number().int(),
      fileName: z.string(),
      state: itemStateSchema,
      problem: problemSchema.nullable().describe('Why the item failed.'),
      conversionId: z.string().nullable().describe('Its history entry (GET /api/v1/conversions/{id}).'),
      type: z.string().nullable(),
      tier: z.number().int().nullable(),
      quality: z.object({ ssim: z.number().nullable() }),
      bytes: z.number().int().nullable().describe('SVG size in bytes.'),
      durationMs: z.number().nullable(),
      attempts: z.number().int(),
    }),
  ),
  links: z.object({ self: z.string(), download: z.string() }),
});
