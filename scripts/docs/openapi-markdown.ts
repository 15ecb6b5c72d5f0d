/** Renders an OpenAPI 3.1 document as a Markdown API reference (docs/API.md), so the reference cannot drift. */

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  description?: string;
  anyOf?: Schema[];
  const?: unknown;
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
};

const esc = (s: unknown) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n+/g, ' ');

function resolve(doc: Json, s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; cur.$ref && i < 10; i++) {
    cur = cur.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((o, k) => (o as Json)?.[k], doc) as Schema;
  }
  return cur ?? {};
}

function typeOf(doc: Json, s: Schema | undefined): string {
  const r = resolve(doc, s);
  const name = s?.$ref ? s.$ref.split('/').pop() : undefined;
  if (r.enum) return r.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (r.const !== undefined) return `\`${String(r.const)}\``;
  const alts = r.anyOf ?? r.oneOf;
  if (alts) return alts.map((a) => typeOf(doc, a)).join(' or ');
  if (r.type === 'array') return `array of ${typeOf(doc, r.items)}`;
  const t = Array.isArray(r.type) ? r.type.join(' | ') : (r.type ?? 'object');
  // zod marks every int with the JS safe-integer range: not worth printing.
  const lo = r.minimum !== undefined && r.minimum > -Number.MAX_SAFE_INTEGER ? `≥ ${r.minimum}` : '';
  const hi = r.maximum !== undefined && r.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${r.maximum}` : '';
  const range = [lo, hi].filter(Boolean).join(', ');
  return `${name && t === 'object' ? name : t}${range ? ` (${range})` : ''}`;
}

function propertiesTable(doc: Json, schema: Schema | undefined, depth = 0): string[] {
  const r = resolve(doc, schema);
  if (!r.properties) return [];
  const lines = depth === 0 ? ['| Field | Type | Required | Description |', '| --- | --- | --- | --- |'] : [];
  for (const [name, p] of Object.entries(r.properties)) {
    const pr = resolve(doc, p);
    const def = pr.default !== undefined ? ` Default \`${JSON.stringify(pr.default)}\`.` : '';
    lines.push(
      `| ${'&nbsp;&nbsp;'.repeat(depth)}\`${name}\` | ${esc(typeOf(doc, p))} | ${r.required?.includes(name) ? 'yes' : ''} | ${esc(pr.description)}${esc(def)} |`,
    );
    if (depth < 1 && pr.properties && !p.$ref) lines.push(...propertiesTable(doc, pr, depth + 1));
  }
  return lines;
}

export function renderOpenApiMarkdown(doc: Json): string {
  const info = doc.info as Json;
  const out: string[] = [
    `# ${info.title} (v${info.version})`,
    '',
    '<!-- Generated from the OpenAPI document (GET /api/openapi.json) by `npm run docs:api`; do not edit. -->',
    '',
    String(info.description ?? ''),
    '',
    'The machine-readable document is served at `/api/openapi.json`; a readable page at `/docs/api`.',
    '',
  ];
  const paths = doc.paths as Record<string, Record<string, Json>>;
  for (const [p, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      out.push(`## ${method.toUpperCase()} ${p}`, '', `**${op.summary ?? ''}**`, '');
      if (op.description) out.push(String(op.description), '');
      const params = (op.parameters as Json[] | undefined) ?? [];
      if (params.length) {
        out.push('| Parameter | In | Type | Required | Description |', '| --- | --- | --- | --- | --- |');
        for (const prm of params) {
          out.push(
            `| \`${prm.name}\` | ${prm.in} | ${esc(typeOf(doc, prm.schema as Schema))} | ${prm.required ? 'yes' : ''} | ${esc(prm.description)} |`,
          );
        }
        out.push('');
      }
      const body = op.requestBody as Json | undefined;
      if (body) {
        for (const [type, media] of Object.entries((body.content as Record<string, Json>) ?? {})) {
          out.push(`Request body \`${type}\`${body.required ? ' (required)' : ''}:`, '');
          const table = propertiesTable(doc, media.schema as Schema);
          out.push(...(table.length ? table : [`${typeOf(doc, media.schema as Schema)}`]), '');
        }
      }
      out.push('| Status | Meaning | Content |', '| --- | --- | --- |');
      for (const [status, resp] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
        const r = resolve(doc, resp as Schema) as Json;
        out.push(
          `| ${status} | ${esc(r.description)} | ${Object.keys((r.content as Json) ?? {})
            .map((c) => `\`${c}\``)
            .join(', ')} |`,
        );
      }
      out.push('');
      const ok = resolve(doc, ((op.responses as Record<string, Json>)?.['200'] ?? {}) as Schema) as Json;
      const okJson = ((ok.content as Record<string, Json>)?.['application/json']?.schema ?? undefined) as
        Schema | undefined;
      const table = propertiesTable(doc, okJson);
      if (table.length) out.push('Response fields (200, JSON):', '', ...table, '');
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
