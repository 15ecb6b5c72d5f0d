// The OpenAPI document is generated from the zod schemas the handlers use, so it must stay consistent with them.
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '@/lib/export/export-options';
import { traceParamsOverridesSchema } from '@/lib/vectorize/params';
import { convertQuerySchema } from './schemas';
import { buildOpenApiDocument } from './openapi';

type Json = Record<string, unknown>;

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument() as Json & {
    components: { schemas: Record<string, Json> };
    paths: Record<string, Json>;
  };

  it('is OpenAPI 3.1 and every $ref points at a defined component', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const r of refs) {
      const id = r.replace('#/components/schemas/', '');
      expect(doc.components.schemas[id], r).toBeDefined();
    }
  });

  it('documents every status the convert endpoint answers', () => {
    const post = (doc.paths['/api/v1/convert'] as { post: { responses: Record<string, Json> } }).post;
    expect(Object.keys(post.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    expect(Object.keys(post.responses['429'].content as Json)).toEqual(['application/problem+json']);
  });

  it('derives the option ranges from the same zod schema the server validates with', () => {
    const overrides = doc.components.schemas.TraceParamsOverrides as {
      properties: Record<string, { minimum?: number; maximum?: number }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(overrides.properties).sort()).toEqual(
      Object.keys(traceParamsOverridesSchema.shape).sort(),
    );
    expect(overrides.additionalProperties).toBe(false);
    expect(overrides.properties.colors).toMatchObject({ minimum: 2, maximum: 64 });
    const options = doc.components.schemas.ConvertOptions as { properties: Record<string, Json> };
    expect(options.properties.mode).toMatchObject({ enum: ['auto', 'color', 'mono'], default: 'auto' });
    expect(options.properties.params).toMatchObject({ $ref: '#/components/schemas/TraceParamsOverrides' });
  });

  it('documents the output formats, the progress stream and the export endpoint from the same schemas', () => {
    type Op = {
      parameters: { name: string; in: string; schema: Json }[];
      responses: Record<string, { content?: Json }>;
    };
    const convert = (doc.paths['/api/v1/convert'] as { post: Op }).post;
    const query = Object.fromEntries(
      convert.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]),
    );
    expect(query.format).toMatchObject({ enum: ['json', ...EXPORT_FORMATS] });
    expect(query.scale).toMatchObject({ minimum: 0.1, maximum: 16 });
    expect(Object.keys(query).sort()).toEqual(Object.keys(convertQuerySchema.shape).sort());
    expect(Object.keys(convert.responses['200'].content!)).toEqual([
      'application/json',
      'application/x-ndjson',
      'image/svg+xml',
      'application/pdf',
      'application/postscript',
      'image/vnd.dxf',
      'image/png',
    ]);
    const events = doc.components.schemas.ConvertProgressEvent as { oneOf?: Json[]; anyOf?: Json[] };
    expect((events.oneOf ?? events.anyOf)!.length).toBe(3);
    const palette = (doc.components.schemas.ConvertOptions as { properties: Record<string, Json> }).properties
      .palette;
    expect(JSON.stringify(palette)).toContain('"count"');
    expect(doc.paths['/api/v1/export']).toBeDefined();
    expect(doc.paths['/api/v1/conversions/{id}/original']).toBeDefined();
  });

  it('is served at /api/openapi.json', async () => {
    const { GET } = await import('@/app/api/openapi.json/route');
    const res = await GET(new Request('http://localhost/api/openapi.json'));
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served.openapi).toBe('3.1.0');
    expect(served.paths['/api/v1/convert']).toBeDefined();
  });
});
