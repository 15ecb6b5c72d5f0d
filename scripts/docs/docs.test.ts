import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { formatMarkdown } from './format-markdown';
import { renderOpenApiMarkdown } from './openapi-markdown';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('documentation', () => {
  it('docs/API.md documents every operation of the OpenAPI document', async () => {
    // Exact freshness is `npm run docs:api -- --check` (a CI step); this catches an endpoint missing altogether.
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const api = read('docs/API.md');
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const m of Object.keys(methods))
        expect(api, `${m.toUpperCase()} ${p}: run \`npm run docs:api\``).toContain(
          `## ${m.toUpperCase()} ${p}`,
        );
    }
    const rendered = await formatMarkdown(renderOpenApiMarkdown(doc), 'docs/API.md');
    expect(rendered).toContain('# AI SVG Converter API');
  });

  it('the guides cover what an operator needs', () => {
    const deployment = read('docs/DEPLOYMENT.md');
    for (const h of [
      '## Prerequisites',
      '## Configuration',
      'Docker Compose',
      'Kubernetes',
      'plain Node host',
      'Vercel',
      '## After a deploy',
      '## TLS',
      '## Scaling',
      '## Security checklist',
    ]) {
      expect(deployment).toContain(h);
    }
    const operations = read('docs/OPERATIONS.md');
    for (const h of [
      '## Daily checks',
      '## Logs',
      '## Metrics and alerts',
      '## Cache maintenance',
      '## Database maintenance',
      '## Backup and restore',
      '## Rollback',
      '## Incident steps',
      '## Performance tuning',
    ]) {
      expect(operations).toContain(h);
    }
    expect(read('docs/ARCHITECTURE.md')).toMatch(/```mermaid\nflowchart/);
  });

  it('every alert in the rules file is explained in the operations manual', () => {
    const alerts = [...read('docker/prometheus/alerts.yml').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts.length).toBeGreaterThan(3);
    for (const a of alerts) expect(read('docs/OPERATIONS.md')).toContain(a);
  });

  it('relative links and referenced repository files exist', () => {
    for (const doc of ['docs/DEPLOYMENT.md', 'docs/OPERATIONS.md', 'docs/ARCHITECTURE.md']) {
      const text = read(doc);
      for (const m of text.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g))
        expect(fs.existsSync(path.join(root, 'docs', m[1])), `${doc}: ${m[1]}`).toBe(true);
      for (const m of text.matchAll(
        /`((?:docker|scripts|lib|prisma)\/[\w./-]+\.(?:ya?ml|json|sh|mjs|ts|conf))`/g,
      )) {
        expect(fs.existsSync(path.join(root, m[1])), `${doc}: ${m[1]}`).toBe(true);
      }
    }
  });
});
