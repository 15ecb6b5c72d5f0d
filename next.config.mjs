/** Next.js configuration: standalone output for containers; native engines stay external; security headers. */
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from './lib/http/security-headers.mjs';
import { packageClosureGlobs } from './scripts/deploy/package-closure.mjs';

const asList = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

// The conversion worker loads potrace (and its jimp stack) with a runtime require Next's tracer cannot follow:
// list the package closure so standalone builds, the image and Vercel functions ship it.
const workerRuntimePackages = packageClosureGlobs(['potrace'], import.meta.dirname);
const nextConfig = {
  output: 'standalone',
  // No "X-Powered-By: Next.js": it tells an attacker which exploits to try.
  poweredByHeader: false,
  async headers() {
    return [
      { source: '/:path*', headers: asList(COMMON_SECURITY_HEADERS) },
      {
        source: '/api/:path*',
        headers: [{ key: 'content-security-policy', value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
  serverExternalPackages: [
    'sharp',
    'onnxruntime-node',
    '@resvg/resvg-js',
    'better-sqlite3',
    'piscina',
    'potrace',
    'svgo',
    'pdfkit',
    'pino',
    'pino-pretty',
    'prom-client',
    'ioredis',
    'bullmq',
  ],
  outputFileTracingIncludes: {
    // @napi-rs/nice: piscina lowers the worker threads' CPU priority with it (loaded by an optional import).
    '/api/**': [
      './models/**/*',
      './prisma/**/*',
      './dist/workers/**/*',
      './node_modules/@napi-rs/**/*',
      ...workerRuntimePackages,
    ],
    // The tracer follows onnxruntime_binding.node but not the shared library it dlopens beside it.
    '/**': [`./node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/*`],
  },
};

export default nextConfig;
