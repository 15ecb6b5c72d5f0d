// The runtime/tooling boundary in eslint.config.mjs, linted on source text placed at real paths: runtime code may
// not import scripts/, test/, e2e/ or dev-only packages; lib/ may not import Next.js; tooling may not import test/.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

/** The boundary rules' messages for `code` as if it were the file at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  // a parse error or an ignored file would otherwise pass every "no errors" case
  const fatal = result.messages.find((m) => m.fatal || m.ruleId === null);
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`);
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('runtime code (lib/, app/, components/, instrumentation.ts)', () => {
  it.each([
    ['lib/ai/probe.ts', "import { buildBenchmarkSet } from '@/scripts/dataset';"],
    ['lib/db/probe.ts', "import { applyMigrations } from '../../scripts/db/migrate.mjs';"],
    ['app/api/probe/route.ts', "import { fixture } from '@/test/support/api';"],
    ['components/probe.tsx', "import type { Mlp } from '@/scripts/train/mlp-model';"],
    ['instrumentation.ts', "import { renderPng } from './test/fixtures/images';"],
    ['lib/health/probe.ts', "export const load = () => import('@/test/support/test-databases');"],
  ])('%s may not import tooling or tests: %s', async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('may not import scripts/, test/ or e2e/');
  });

  it.each([
    ['lib/ai/probe.ts', "import protobuf from 'protobufjs';"],
    ['lib/ai/probe.ts', "import { describe } from 'vitest';"],
    ['app/probe/page.tsx', "import { siDevdotto } from 'simple-icons';"],
    ['lib/ai/probe.ts', "import icons from '@iconify-json/devicon/icons.json';"],
    ['lib/ai/probe.ts', "export const load = () => import('protobufjs');"],
    ['lib/ai/probe.ts', "export const icons = require('simple-icons');"],
  ])('%s may not import a dev-only package: %s', async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('only in devDependencies');
  });

  it('may import dev-only packages for types, and runtime dependencies', async () => {
    const code = [
      "import type { Page } from '@playwright/test';",
      "import sharp from 'sharp';",
      "import { z } from 'zod';",
      "import { getConfig } from '@/lib/config';",
      "import type { NextAuthOptions } from 'next-auth';",
      "import CredentialsProvider from 'next-auth/providers/credentials';",
    ].join('\n');
    expect(await boundaryErrors('lib/auth/probe.ts', code)).toEqual([]);
  });

  it('may import anything in its tests', async () => {
    const code = "import { buildBenchmarkSet } from '@/scripts/dataset';\nimport protobuf from 'protobufjs';";
    expect(await boundaryErrors('lib/ai/probe.test.ts', code)).toEqual([]);
    expect(await boundaryErrors('lib/db/probe.integration.test.ts', code)).toEqual([]);
  });
});

describe('lib/', () => {
  it.each([
    "import { NextResponse } from 'next/server';",
    "import { useSession } from 'next-auth/react';",
    "import { useState } from 'react';",
    "import { GET } from '@/app/api/health/route';",
  ])('may not import Next.js, React or app/: %s', async (code) => {
    expect(await boundaryErrors('lib/api/probe.ts', code)).toHaveLength(1);
  });

  it('leaves Next.js to app/', async () => {
    expect(
      await boundaryErrors('app/api/probe/route.ts', "import { NextResponse } from 'next/server';"),
    ).toEqual([]);
  });
});

describe('tooling (scripts/)', () => {
  it('may import lib/, its own modules and dev packages', async () => {
    const code = [
      "import { routeConversion } from '@/lib/ai/router';",
      "import { buildBenchmarkSet } from '@/scripts/dataset';",
      "import protobuf from 'protobufjs';",
    ].join('\n');
    expect(await boundaryErrors('scripts/bench/probe.ts', code)).toEqual([]);
  });

  it.each([
    "import { renderPng } from '@/test/fixtures/images';",
    "export const spec = () => import('../../e2e/convert.spec');",
  ])('may not import test/ or e2e/: %s', async (code) => {
    const errors = await boundaryErrors('scripts/bench/probe.ts', code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Tooling (scripts/) may not import test/ or e2e/');
  });

  it('may import test support in its own tests', async () => {
    const code = "import { createTestDatabase } from '@/test/support/test-databases';";
    expect(await boundaryErrors('scripts/db/probe.integration.test.ts', code)).toEqual([]);
  });
});
