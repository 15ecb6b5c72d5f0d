/** Writes docs/API.md from the OpenAPI document the API serves (`--check` only verifies it is current). */
import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { formatMarkdown } from './docs/format-markdown';
import { renderOpenApiMarkdown } from './docs/openapi-markdown';

const file = path.resolve(import.meta.dirname, '../docs/API.md');
const next = await formatMarkdown(
  renderOpenApiMarkdown(buildOpenApiDocument() as Record<string, unknown>),
  'docs/API.md',
);
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== next) {
    console.error('docs/API.md is stale: run `npm run docs:api`');
    process.exit(1);
  }
  console.log('docs/API.md is current');
} else if (current !== next) {
  fs.writeFileSync(file, next);
  console.log('docs/API.md updated');
} else console.log('docs/API.md already current');
