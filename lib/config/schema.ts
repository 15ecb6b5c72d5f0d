/** The zod schema of every setting, read from the environment. Production readiness extends it. */
import { z } from 'zod';
import {
  applyProfile,
  checkConstraints,
  ConfigError,
  mapOpsConfig,
  opsEnvFields,
  type OpsConfig,
} from './ops-schema';

const intFromEnv = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

export const envSchema = z.object({
  ...opsEnvFields,
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intFromEnv(3000, 1, 65535),
  DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
  MIGRATE_ON_START: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .describe(
      'npm start applies pending database migrations before serving (false when a migration job owns them).',
    ),
  MAX_UPLOAD_BYTES: intFromEnv(10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  MAX_PIXELS: intFromEnv(25_000_000, 1, 268_402_689),
  WORKERS: intFromEnv(2, 1, 64),
  QUEUE_SIZE: intFromEnv(32, 0, 10_000),
  MODELS_DIR: z.string().default('models'),
  API_KEYS_REQUIRED: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  RATE_LIMIT_ANONYMOUS: intFromEnv(120, 0, 1_000_000),
  RATE_LIMIT_API_KEY: intFromEnv(600, 0, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: intFromEnv(60, 1, 86_400),
  REDIS_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
});

export type AppConfig = OpsConfig & {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  limits: { maxBytes: number; maxPixels: number };
  performance: { workers: number; queueSize: number };
  models: { dir: string };
  /** Requests per window; 0 disables the limit for that class of caller. */
  api: {
    keysRequired: boolean;
    rateLimit: { anonymous: number; apiKey: number; windowSeconds: number };
  };
  redis: { url?: string; upstashUrl?: string; upstashToken?: string };
};

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(applyProfile(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: i.path.join('.'), rule: i.message })));
  }
  const e = parsed.data;
  const crossIssues = checkConstraints(e);
  if (crossIssues.length > 0) throw new ConfigError(crossIssues);
  return {
    ...mapOpsConfig(e),
    env: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    limits: { maxBytes: e.MAX_UPLOAD_BYTES, maxPixels: e.MAX_PIXELS },
    performance: { workers: e.WORKERS, queueSize: e.QUEUE_SIZE },
    models: { dir: e.MODELS_DIR },
    api: {
      keysRequired: e.API_KEYS_REQUIRED,
      rateLimit: {
        anonymous: e.RATE_LIMIT_ANONYMOUS,
        apiKey: e.RATE_LIMIT_API_KEY,
        windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      },
    },
    redis: {
      url: e.REDIS_URL,
      upstashUrl: e.UPSTASH_REDIS_REST_URL,
      upstashToken: e.UPSTASH_REDIS_REST_TOKEN,
    },
  };
}
