// The module layering, checked on the source itself: lib/ never imports Next.js or the composition root, and the
// infrastructure folders import only the folders below them (static imports, re-exports and dynamic import()).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** What each folder may import from lib/, besides itself: the layers below it. */
const ALLOWED: Record<string, string[]> = {
  'lib/config': [],
  'lib/redis': ['lib/config'],
  'lib/http': [],
  'lib/lifecycle': ['lib/config', 'lib/log', 'lib/metrics'],
  'lib/health': ['lib/config', 'lib/log', 'lib/metrics', 'lib/lifecycle', 'lib/redis', 'lib/db'],
  'lib/auth': [
    'lib/config',
    'lib/log',
    'lib/metrics',
    'lib/lifecycle',
    'lib/redis',
    'lib/db',
    'lib/rate-limit',
    'lib/http',
  ],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'generated') out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx|mjs)$/.test(entry.name) && !/\.(test|d)\.|\.d\.mts$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** Every module specifier a file imports, re-exports or loads with import(). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g))
    found.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

/** The lib/ folder (or lib/<file> for a module at lib's top) a specifier points to, else null. */
function libTarget(file: string, spec: string): string | null {
  let target: string;
  if (spec.startsWith('@/')) target = spec.slice(2);
  else if (spec.startsWith('.')) target = path.relative(root, path.resolve(root, path.dirname(file), spec));
  else return null;
  const parts = target.split(path.sep).join('/').split('/');
  return parts[0] === 'lib'
    ? parts
        .slice(0, 2)
        .join('/')
        .replace(/\.(ts|tsx|mjs)$/, '')
    : null;
}

describe('module layering', () => {
  it('keeps Next.js and the composition root (lib/boot.ts) out of lib/', () => {
    const offending = sourceFiles('lib').flatMap((file) =>
      specifiers(file)
        .filter((s) => s === 'next' || s.startsWith('next/') || libTarget(file, s) === 'lib/boot')
        .filter(() => file !== 'lib/boot.ts')
        .map((s) => `${file} -> ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it.each(Object.keys(ALLOWED))('%s imports only the layers below it', (folder) => {
    const files = sourceFiles(folder);
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      specifiers(file)
        .map((s) => [s, libTarget(file, s)] as const)
        .filter(([, target]) => target !== null && target !== folder && !ALLOWED[folder].includes(target))
        .map(([s]) => `${file} -> ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('sees the imports it checks (static, type-only, re-exports and dynamic)', () => {
    expect(specifiers('lib/boot.ts')).toEqual(
      expect.arrayContaining([
        '@/lib/config',
        '@/lib/worker-pool',
        '@/lib/ai/models',
        '@/lib/health/endpoints',
      ]),
    );
    expect(specifiers('lib/lifecycle/index.ts')).toEqual(['./shutdown']);
    expect(specifiers('lib/auth/caller.ts')).toContain('@/lib/db/conversions');
    expect(libTarget('lib/health/endpoints.ts', '../lifecycle')).toBe('lib/lifecycle');
    expect(libTarget('lib/health/endpoints.ts', './registry')).toBe('lib/health');
  });
});
