import { readFileSync } from 'node:fs';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Runtime apart from tooling. Runtime is what the server runs (lib/, app/, components/, instrumentation.ts, proxy.ts);
// tooling is scripts/ (train, dataset, bench, deploy, CLI); test support is test/ and e2e/. Tooling and tests may
// import the runtime, never the reverse. The dev-only package list is read from package.json, so it cannot go stale.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const devOnlyPackages = Object.keys(pkg.devDependencies ?? {}).filter(
  (name) => !(name in (pkg.dependencies ?? {})),
);

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An import of one of `folders` at the repository root, through the `@/` alias or a relative path. */
const foldersRegex = (folders) => `^(@/|\\./|(\\.\\./)+)(${folders.join('|')})(/|$)`;

const RUNTIME_FILES = ['lib/**', 'app/**', 'components/**', 'instrumentation.ts', 'proxy.ts'];
const TOOLING_FILES = ['scripts/**'];
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx'];

/** Each pattern: the import specifiers it refuses and what to do instead; boundary() below says where it applies. */
const NO_TOOLING = {
  regex: foldersRegex(['scripts', 'test', 'e2e']),
  message:
    'Runtime code (lib/, app/, components/, instrumentation.ts) may not import scripts/, test/ or e2e/. ' +
    'Move what the server needs into lib/; tooling and tests import lib/, never the reverse.',
};
const NO_DEV_PACKAGES = {
  regex: `^(${devOnlyPackages.map(escapeRegex).join('|')})(/|$)`,
  // a type-only import is erased at build time and needs nothing installed
  allowTypeImports: true,
  message:
    'This package is only in devDependencies (tooling and tests); an install without dev dependencies lacks it. ' +
    'Keep the code that needs it in scripts/ or test/, or move the package to dependencies if the server uses it.',
};
const NO_NEXT_IN_LIB = {
  regex: '^(next|next/.*|next-auth/(react|next|middleware)|react|react-dom)$',
  message:
    'lib/ never imports Next.js or React: the engine runs from the CLI, route handlers, workers and tests alike. ' +
    'Keep the Next.js adapter in app/ (or components/) and pass what lib/ needs in as plain values.',
};
const NO_APP_IN_LIB = {
  regex: foldersRegex(['app', 'components']),
  message: 'lib/ may not import app/ or components/: pages and handlers import lib/, never the reverse.',
};
const NO_TEST_IN_TOOLING = {
  regex: foldersRegex(['test', 'e2e']),
  message:
    'Tooling (scripts/) may not import test/ or e2e/: test support may load vitest or Playwright, which a script ' +
    'cannot. Put what both need in lib/ (if the server uses it) or scripts/ (e.g. scripts/dataset).',
};

/**
 * The same rules for import() and require(), which no-restricted-imports does not see. esquery cannot read a '/'
 * inside a regex literal, so it is written \x2F.
 */
function dynamicImportSelectors(rules) {
  return rules.flatMap(({ regex, message }) => {
    const re = `/${regex.replaceAll('/', '\\x2F')}/`;
    return [
      { selector: `ImportExpression[source.value=${re}]`, message },
      {
        selector: `CallExpression[callee.name="require"] > Literal.arguments:first-child[value=${re}]`,
        message,
      },
    ];
  });
}

function boundary(files, rules) {
  return {
    files,
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: rules }],
      'no-restricted-syntax': ['error', ...dynamicImportSelectors(rules)],
    },
  };
}

const config = [
  ...nextVitals,
  ...nextTs,
  boundary(RUNTIME_FILES, [NO_TOOLING, NO_DEV_PACKAGES]),
  // after the block above: for lib/ this one replaces it, so it repeats its rules
  boundary(['lib/**'], [NO_TOOLING, NO_DEV_PACKAGES, NO_NEXT_IN_LIB, NO_APP_IN_LIB]),
  boundary(TOOLING_FILES, [NO_TEST_IN_TOOLING]),
  {
    ignores: [
      '.next/**',
      'dist/**',
      'node_modules/**',
      'data/**',
      'bench/out/**',
      'releases/**',
      'lib/generated/**',
      // AssemblyScript, compiled by scripts/build-wasm.mjs, not part of the TypeScript program
      'lib/quality/wasm/ssim-kernel.ts',
      'next-env.d.ts',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
];

export default config;
