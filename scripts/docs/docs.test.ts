import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { formatMarkdown } from './format-markdown';
import { renderOpenApiMarkdown } from './openapi-markdown';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('documentation', () => {
  it('docs/API.md is generated from the current OpenAPI document', async () => {
    const expected = await formatMarkdown(
      renderOpenApiMarkdown(buildOpenApiDocument() as Record<string, unknown>),
      'docs/API.md',
    );
    expect(read('docs/API.md'), 'run `npm run docs:api`').toBe(expected);
    for (const p of Object.keys(buildOpenApiDocument().paths as object))
      expect(read('docs/API.md')).toContain(p);
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
