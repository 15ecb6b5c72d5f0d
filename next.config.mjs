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
    '/api/**': ['./models/**/*', './prisma/**/*'],
  },
};

export default nextConfig;
