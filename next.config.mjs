/** Next.js configuration: standalone output for containers; native engines stay external. */
const nextConfig = {
  output: 'standalone',
  serverExternalPackages: [
    'sharp',
    'onnxruntime-node',
    '@resvg/resvg-js',
    'better-sqlite3',
    'piscina',
    'potrace',
    'svgo',
    'pino',
    'pino-pretty',
    'prom-client',
    'ioredis',
  ],
  outputFileTracingIncludes: {
    '/api/**': ['./models/**/*', './prisma/**/*', './dist/workers/**/*'],
    // The tracer follows onnxruntime_binding.node but not the shared library it dlopens beside it.
    '/**': [`./node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/*`],
  },
};

export default nextConfig;
