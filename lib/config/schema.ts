/** The zod schema of every setting, read from the environment. Production readiness extends it. */
import { z } from 'zod';

const intFromEnv = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intFromEnv(3000, 1, 65535),
  DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
  MAX_UPLOAD_BYTES: intFromEnv(10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  MAX_PIXELS: intFromEnv(25_000_000, 1, 268_402_689),
  WORKERS: intFromEnv(2, 1, 64),
  QUEUE_SIZE: intFromEnv(32, 0, 10_000),
  MODELS_DIR: z.string().default('models'),
});

export type AppConfig = {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  limits: { maxBytes: number; maxPixels: number };
  performance: { workers: number; queueSize: number };
  models: { dir: string };
};

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    limits: { maxBytes: e.MAX_UPLOAD_BYTES, maxPixels: e.MAX_PIXELS },
    performance: { workers: e.WORKERS, queueSize: e.QUEUE_SIZE },
    models: { dir: e.MODELS_DIR },
  };
}
