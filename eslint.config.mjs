import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
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
