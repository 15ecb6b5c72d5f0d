/** Renders JSON Schemas (from our zod schemas) as readable property tables; also the API docs' table frame. */
import type { ReactNode } from 'react';
import styles from './api-docs.module.css';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  contentMediaType?: string;
};

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** One-line type description: `integer 2..64`, `"auto" | "color"`, `ConvertOptions`, `array of X`. */
export function describeType(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return refName(s.$ref);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(describeType).join(' | ');
  if (s.type === 'array') return `array of ${describeType(s.items)}`;
  if (s.contentMediaType) return 'binary file';
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const lo = s.minimum ?? s.exclusiveMinimum;
  if (lo !== undefined || s.maximum !== undefined) return `${type} ${lo ?? ''}..${s.maximum ?? ''}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return 'object (map)';
  return type;
}

function TypeCell({ schema }: { schema: JsonSchema }) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#schema-${name}`}>
        <code>{name}</code>
      </a>
    );
  }
  return <code>{describeType(schema)}</code>;
}

export function SchemaTable({ schema }: { schema: JsonSchema }) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) {
    return (
      <p>
        <TypeCell schema={schema} />
      </p>
    );
  }
  const required = new Set(schema.required ?? []);
  return (
    <DocsTable columns={['Field', 'Type', 'Description']}>
      {props.map(([name, p]) => (
        <tr key={name}>
          <NameCell name={name} required={required.has(name) && p.default === undefined} />
          <td>
            <TypeCell schema={p} />
            {p.default !== undefined && (
              <div className={styles.muted}>
                default <code>{JSON.stringify(p.default)}</code>
              </div>
            )}
          </td>
          <td>
            <InlineText text={p.description} />
          </td>
        </tr>
      ))}
    </DocsTable>
  );
}

/** A table row's header cell: a field or parameter name, marked when it is required. */
export function NameCell({ name, required }: { name: string; required?: boolean }) {
  return (
    <th scope="row">
      <code>{name}</code>
      {required && <span className={styles.required}> required</span>}
    </th>
  );
}

/** The docs' table frame: a scrollable wrapper, column headers, and the rows passed as children. */
export function DocsTable({ columns, children }: { columns: string[]; children: ReactNode }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Text with `backtick` spans shown as code (the OpenAPI descriptions use that markdown subset). */
export function InlineText({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <>
      {text
        .split(/(`[^`]+`)/)
        .map((part, i) =>
          part.startsWith('`') && part.endsWith('`') && part.length > 2 ? (
            <code key={i}>{part.slice(1, -1)}</code>
          ) : (
            part
          ),
        )}
    </>
  );
}
