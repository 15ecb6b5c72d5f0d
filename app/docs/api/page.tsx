/** /docs/api: the API reference, rendered by our own components from the generated OpenAPI document. */
import type { Metadata } from 'next';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import type { ProblemType } from '@/lib/api/problem';
import {
  DocsTable,
  InlineText,
  NameCell,
  SchemaTable,
  describeType,
  type JsonSchema,
} from '@/components/api-docs/schema-view';
import styles from '@/components/api-docs/api-docs.module.css';

export const metadata: Metadata = { title: 'API reference · AI SVG Converter' };

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
type Operation = {
  summary: string;
  description?: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security?: Record<string, unknown>[];
};
type Doc = {
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

const PROBLEMS: [ProblemType, number, string][] = [
  ['bad-request', 400, 'The options or the body failed validation; `errors` lists each field and why.'],
  ['unauthorized', 401, 'The API key is missing (when required), malformed, unknown or revoked.'],
  ['not-found', 404, 'No such resource.'],
  ['too-large', 413, 'The upload exceeds MAX_UPLOAD_BYTES, or the image exceeds MAX_PIXELS.'],
  ['unsupported-type', 415, 'Not a raster format we accept (SVG, PDF, text…) or a wrong Content-Type.'],
  ['undecodable', 422, 'The file looks like an image but cannot be decoded (truncated, corrupt, empty).'],
  ['rate-limited', 429, 'Too many requests in the window; wait for Retry-After seconds.'],
  ['internal', 500, 'Unexpected failure. The answer carries a requestId to quote; no internals are exposed.'],
  [
    'overloaded',
    503,
    'Every conversion worker is busy and the queue is full; retry after Retry-After seconds.',
  ],
];

const anchor = (op: Operation) => `op-${op.operationId}`;

export default function ApiDocsPage() {
  const doc = buildOpenApiDocument() as unknown as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <main id="main" className="page">
      <h1 className="page-title">{doc.info.title}</h1>
      <p className="page-lead">
        {doc.info.description} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI
        3.1, version {doc.info.version}).
      </p>
      <div className={styles.layout}>
        <nav className={styles.toc} aria-label="API reference contents">
          <strong>Endpoints</strong>
          <ul>
            {operations.map(({ path, method, op }) => (
              <li key={op.operationId}>
                <a href={`#${anchor(op)}`}>
                  {method.toUpperCase()} {path}
                </a>
              </li>
            ))}
          </ul>
          <strong>Reference</strong>
          <ul>
            <li>
              <a href="#auth">Authentication &amp; limits</a>
            </li>
            <li>
              <a href="#problems">Errors</a>
            </li>
            <li>
              <a href="#schemas">Schemas</a>
            </li>
          </ul>
        </nav>
        <div className={styles.content}>
          <section className={styles.section} aria-labelledby="quickstart">
            <h2 id="quickstart">Quick start</h2>
            <pre className={styles.pre} tabIndex={0} aria-label="Quick start commands">
              {[
                '# JSON result (svg, width, height, type, confidence, tier, quality, bytes, paths, durationMs, params, id)',
                'curl -F file=@logo.png http://localhost:3000/api/v1/convert',
                '',
                '# Options as JSON next to the file',
                `curl -F file=@logo.png -F 'options={"mode":"color","quality":"best","params":{"colors":8}}' \\`,
                '  http://localhost:3000/api/v1/convert',
                '',
                '# Just the SVG',
                'curl -F file=@logo.png "http://localhost:3000/api/v1/convert?format=svg" -o logo.svg',
                '',
                '# JSON body with base64, and an API key',
                `curl -H 'Authorization: Bearer svgai_…' -H 'content-type: application/json' \\`,
                `  -d "{\\"image\\": \\"$(base64 -w0 logo.png)\\"}" http://localhost:3000/api/v1/convert`,
              ].join('\n')}
            </pre>
          </section>

          {operations.map(({ path, method, op }) => (
            <section key={op.operationId} className={styles.section} aria-labelledby={anchor(op)}>
              <h2 id={anchor(op)} className={styles.endpoint}>
                <span className={styles.method} data-method={method}>
                  {method.toUpperCase()}
                </span>
                <span className={styles.path}>{path}</span>
              </h2>
              <p>
                <strong>{op.summary}.</strong> <InlineText text={op.description} />
              </p>
              {op.parameters && op.parameters.length > 0 && (
                <>
                  <h3>Parameters</h3>
                  <DocsTable columns={['Name', 'In', 'Type', 'Description']}>
                    {op.parameters.map((p) => (
                      <tr key={`${p.in}-${p.name}`}>
                        <NameCell name={p.name} required={p.required} />
                        <td>{p.in}</td>
                        <td>
                          <code>{describeType(p.schema)}</code>
                        </td>
                        <td>
                          <InlineText text={p.description} />
                        </td>
                      </tr>
                    ))}
                  </DocsTable>
                </>
              )}
              {op.requestBody && (
                <>
                  <h3>Request body</h3>
                  {Object.entries(op.requestBody.content).map(([type, media]) => (
                    <div key={type}>
                      <p>
                        <code>{type}</code>
                      </p>
                      <SchemaTable schema={media.schema} />
                    </div>
                  ))}
                </>
              )}
              <h3>Responses</h3>
              <DocsTable columns={['Status', 'Body', 'Meaning']}>
                {Object.entries(op.responses).map(([status, r]) => (
                  <tr key={status}>
                    <th scope="row">{status}</th>
                    <td>
                      {Object.entries(r.content ?? {}).map(([type, media]) => (
                        <div key={type}>
                          <code>{type}</code>{' '}
                          <span className={styles.muted}>{describeType(media.schema)}</span>
                        </div>
                      ))}
                    </td>
                    <td>
                      <InlineText text={r.description} />
                    </td>
                  </tr>
                ))}
              </DocsTable>
            </section>
          ))}

          <section className={styles.section} aria-labelledby="auth">
            <h2 id="auth">Authentication &amp; limits</h2>
            <p>
              Send an API key as <code>Authorization: Bearer &lt;key&gt;</code> or{' '}
              <code>x-api-key: &lt;key&gt;</code>. Without a key requests are anonymous (unless the server
              sets <code>API_KEYS_REQUIRED=true</code>) and share a lower rate limit. Every answer carries{' '}
              <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>;
              a 429 adds <code>Retry-After</code>. Send <code>x-request-id</code> to correlate your logs with
              ours.
            </p>
          </section>

          <section className={styles.section} aria-labelledby="problems">
            <h2 id="problems">Errors</h2>
            <p>
              Errors are <code>application/problem+json</code> (RFC 9457): <code>type</code>,{' '}
              <code>title</code>, <code>status</code>, <code>detail</code>, <code>requestId</code>, and{' '}
              <code>errors</code> for validation failures.
            </p>
            <DocsTable columns={['Type', 'Status', 'When']}>
              {PROBLEMS.map(([type, status, when]) => (
                <tr key={type} id={`problem-${type}`}>
                  <th scope="row">
                    <code>{type}</code>
                  </th>
                  <td>{status}</td>
                  <td>
                    <InlineText text={when} />
                  </td>
                </tr>
              ))}
            </DocsTable>
          </section>

          <section className={styles.section} aria-labelledby="schemas">
            <h2 id="schemas">Schemas</h2>
            {Object.entries(doc.components.schemas).map(([name, schema]) => (
              <div key={name}>
                <h3 id={`schema-${name}`}>{name}</h3>
                <SchemaTable schema={schema} />
              </div>
            ))}
          </section>
        </div>
      </div>
    </main>
  );
}
