/** Writes the settings generated from the zod schema into docs/DEPLOYMENT.md and .env.example (`--check` verifies). */
import fs from 'node:fs';
import path from 'node:path';
import { renderEnvExample, replaceConfigTable } from '@/lib/config/describe-settings';
import { formatMarkdown } from './docs/format-markdown';

const root = path.resolve(import.meta.dirname, '..');
const example = path.join(root, '.env.example');
const exampleNext = renderEnvExample();
const exampleCurrent = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '';
if (process.argv.includes('--check') && exampleCurrent !== exampleNext) {
  console.error('.env.example is stale: run `npm run docs:config`');
  process.exit(1);
}
if (exampleCurrent !== exampleNext) fs.writeFileSync(example, exampleNext);

const file = path.join(root, 'docs/DEPLOYMENT.md');
const current = fs.readFileSync(file, 'utf8');
const next = await formatMarkdown(replaceConfigTable(current), 'docs/DEPLOYMENT.md');
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/DEPLOYMENT.md configuration table is stale: run `npm run docs:config`');
    process.exit(1);
  }
  console.log('docs/DEPLOYMENT.md configuration table is current');
} else if (next !== current) {
  fs.writeFileSync(file, next);
  console.log('docs/DEPLOYMENT.md configuration table updated');
} else {
  console.log('docs/DEPLOYMENT.md configuration table already current');
}
