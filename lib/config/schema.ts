/**
 * The zod schema of every setting, read from the environment, and the shape the app reads (`AppConfig`, the
 * schema's output type: there is no hand-written twin to keep in step).
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error';
import { BOOLEAN_RULE, BOOLEAN_WORDS, MIGRATE_ON_START_DEFAULT, parseBoolean } from './env-boolean.mjs';
import { applyProfile } from './profiles';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
/** Every boolean setting: the spellings of lib/config/env-boolean.mjs, which scripts/start.mjs reads with too. */
const bool = (def: boolean) =>
  z
    .enum(BOOLEAN_WORDS, { error: BOOLEAN_RULE })
    .default(def ? 'true' : 'false')
    .transform((v) => parseBoolean(v) === true);
const ratio = (def: number) => z.coerce.number().gt(0).max(1).default(def);
const onnxFile = (def: string) =>
  z
    .string()
    .regex(/^[\w.-]+\.onnx$/, 'must be an .onnx file name inside MODELS_DIR')
    .default(def);

const originList = z
  .string()
  .default('*')
  .refine(
    (v) =>
      v.trim() === '*' ||
      v.trim() === '' ||
      v.split(',').every((o) => /^https?:\/\/[^\s/,]+$/.test(o.trim())),
    {
      message:
        'must be *, empty (same origin only) or a comma-separated list of origins like https://app.example.com',
    },
  )
  .transform((v) => (v.trim() === '' ? [] : v.split(',').map((o) => o.trim())));

const keyList = z
  .string()
  .refine(
    (v) => v.split(',').every((k) => k.trim().length >= 16),
    'must be a comma list of keys of 16+ characters',
  )
  .optional()
  .transform((v) => (v ? v.split(',').map((k) => k.trim()) : []));

/** Every setting, one field per environment variable (the docs table and .env.example are generated from it). */
export const envSchema = z.object({
  // Running the service: server, API, cache, models, logs, metrics, security.
  ENVIRONMENT: z
    .enum(['development', 'staging', 'production'])
    .default('development')
    .describe('Deployment profile; picks the defaults of the settings marked with a profile value.'),
  APP_NAME: z
    .string()
    .min(1)
    .max(80)
    .default('AI SVG Converter')
    .describe('Name shown in the UI, logs and metrics.'),
  APP_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Public base URL: sign-in callbacks and links are built from it, never from Host headers (required in production).',
    ),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the server binds to.'),
  TRUST_PROXY: bool(false).describe(
    'Requests come through reverse proxies that write X-Forwarded-For/-Proto (client address for rate limits).',
  ),
  TRUSTED_PROXY_HOPS: int(1, 1, 10).describe(
    'With TRUST_PROXY: how many proxies of ours stand in front of the app; the client is that many X-Forwarded-For entries from the right.',
  ),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 1_000, 600_000).describe(
    'On SIGTERM, how long in-flight conversions may finish before the process exits.',
  ),
  CORS_ORIGINS: originList.describe(
    'Origins allowed to call the API from a browser: *, empty, or a comma list.',
  ),
  CLASSIFIER_MODEL: onnxFile('classifier.onnx').describe('Image-type classifier model file in MODELS_DIR.'),
  PARAMS_MODEL: onnxFile('optimizer.onnx').describe('Trace-parameter predictor model file in MODELS_DIR.'),
  CACHE_TYPE: z
    .enum(['none', 'memory', 'disk', 'redis'])
    .default('memory')
    .describe('Where converted SVGs are cached: none, memory (per process), disk (CACHE_DIR) or redis.'),
  CACHE_TTL_SECONDS: int(3600, 0, 30 * 86_400).describe(
    'How long a cached conversion stays valid (0 = no expiry).',
  ),
  CACHE_MAX_ENTRIES: int(1000, 1, 10_000_000).describe('Most entries the memory or disk cache keeps (LRU).'),
  CACHE_MAX_BYTES: int(64 * 1024 * 1024, 1024 * 1024, 16 * 1024 * 1024 * 1024).describe(
    'Most bytes of results the memory cache holds (LRU); a larger result is not cached.',
  ),
  CACHE_DIR: z.string().min(1).default('data/cache').describe('Folder of the disk cache.'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder of the SQLite file and other state (disk checks).'),
  BATCH_SIZE: int(500, 1, 10_000).describe(
    'Most files in one batch (POST /api/v1/batches; a zip counts its images).',
  ),
  BATCH_MAX_BYTES: int(64 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024).describe(
    'Most bytes one batch upload may carry (the request body, and the images unpacked from a zip).',
  ),
  BATCH_MAX_IN_FLIGHT: int(3, 1, 1_000).describe(
    'Unfinished batches one caller (API key, user or client address) may have at once; one more is a 429.',
  ),
  BATCH_QUEUE: z
    .enum(['auto', 'embedded', 'bullmq'])
    .default('auto')
    .describe(
      'Where batch jobs queue: bullmq (Redis, run `npm run worker` processes), embedded (in the web process, jobs in the database) or auto (bullmq when REDIS_URL is set).',
    ),
  BATCH_QUEUE_MAX: int(10_000, 1, 10_000_000).describe(
    'Batch jobs that may wait; past it POST /api/v1/batches answers 503 with Retry-After.',
  ),
  BATCH_ATTEMPTS: int(3, 1, 20).describe(
    'Tries per batch item on transient failures (exponential backoff); bad input is never retried.',
  ),
  BATCH_STALLED_SECONDS: int(30, 2, 3600).describe(
    'A batch job whose worker stopped renewing its lock (killed, hung) this long is handed to another worker.',
  ),
  BATCH_RETENTION_HOURS: int(24, 1, 24 * 365).describe(
    'How long a finished batch (status, manifest, download) is kept; its conversions stay in the history.',
  ),
  BATCH_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe(
      'Key of the HMAC-SHA256 X-Signature header on batch webhooks; without it batches refuse a callbackUrl.',
    ),
  BATCH_WEBHOOK_ALLOW_PRIVATE: bool(false).describe(
    'Let batch webhooks reach private, loopback and link-local addresses (off: only public addresses).',
  ),
  BATCH_AUTO_FILES: int(10, 1, 10_000).describe(
    'More files than this dropped on the converter page go through a batch instead of one request each.',
  ),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe('Batch jobs one worker process (or the embedded queue) runs at once (default: WORKERS).'),
  REQUEST_TIMEOUT_MS: int(30_000, 1_000, 600_000).describe(
    'A conversion request that takes longer is aborted.',
  ),
  TARGET_QUALITY_SIMPLE: ratio(0.985).describe('RGB-SSIM target of the AI router for simple logos/icons.'),
  TARGET_QUALITY_TEXT: ratio(0.99).describe('RGB-SSIM target of the AI router for text / word marks.'),
  TARGET_QUALITY_GRADIENT: ratio(0.96).describe('RGB-SSIM target of the AI router for gradient images.'),
  TARGET_QUALITY_COMPLEX: ratio(0.95).describe('RGB-SSIM target of the AI router for complex illustrations.'),
  METRICS_ENABLED: bool(true).describe('Serve Prometheus metrics at /api/metrics.'),
  METRICS_PORT: int(0, 0, 65_535).describe(
    'Also serve metrics on this separate port (0 = off, only /api/metrics).',
  ),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe(
      '"Authorization: Bearer <token>" opens /api/metrics, METRICS_PORT and health details (without it, outside development, only admins see them).',
    ),
  ADMIN_EMAILS: z
    .string()
    .optional()
    .refine(
      (v) => !v || v.split(',').every((e) => /^[^\s@,]+@[^\s@,]+$/.test(e.trim())),
      'must be a comma list of email addresses',
    )
    .transform((v) => (v ? v.split(',').map((e) => e.trim().toLowerCase()) : []))
    .describe('Signed-in accounts allowed to see /ops, metrics and health details (comma list).'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Lowest log level written.'),
  LOG_FORMAT: z
    .enum(['json', 'pretty'])
    .default('json')
    .describe('json = one JSON object per line; pretty = for humans.'),
  API_KEYS: keyList.describe(
    'Static API keys accepted besides database keys (comma list). Prefer database keys.',
  ),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('Session signing secret.'),
  VERCEL: z.string().optional().describe('Set by Vercel itself; refuses SQLite and the disk cache there.'),
  // The engine, the database and the API's limits (described in setting-docs.ts).
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(3000, 1, 65535),
  DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
  // Read by scripts/start.mjs (through env-boolean.mjs), not by the server: validated here so a typo fails
  // config:check and boot like any other setting.
  MIGRATE_ON_START: bool(MIGRATE_ON_START_DEFAULT).describe(
    'npm start applies pending database migrations before serving (false when a migration job owns them).',
  ),
  MAX_UPLOAD_BYTES: int(10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  UPLOAD_MEMORY_BYTES: int(128 * 1024 * 1024, 1024 * 1024, 8 * 1024 * 1024 * 1024),
  MAX_PIXELS: int(25_000_000, 1, 268_402_689),
  WORKERS: int(2, 1, 64),
  QUEUE_SIZE: int(32, 0, 10_000),
  MODELS_DIR: z.string().default('models'),
  API_KEYS_REQUIRED: bool(false),
  RATE_LIMIT_ANONYMOUS: int(120, 0, 1_000_000),
  RATE_LIMIT_API_KEY: int(600, 0, 1_000_000),
  RATE_LIMIT_WINDOW_SECONDS: int(60, 1, 86_400),
  REDIS_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
});

type Env = z.output<typeof envSchema>;

/** Rules that span several variables (zod checks one value at a time); run only once every field parsed. */
function crossVariableIssues(e: Env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sqlite = e.DATABASE_URL.startsWith('file:');
  if (!sqlite && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    issues.push({
      variable: 'DATABASE_URL',
      rule: 'must be file:<path> (SQLite) or postgresql://user:pass@host:5432/db',
    });
  }
  if (e.VERCEL) {
    if (sqlite)
      issues.push({ variable: 'DATABASE_URL', rule: 'SQLite cannot persist on Vercel: use postgresql://' });
    if (e.CACHE_TYPE === 'disk') {
      issues.push({
        variable: 'CACHE_TYPE',
        rule: 'disk cache is not shared or kept on Vercel: use redis or memory',
      });
    }
  }
  if (e.CACHE_TYPE === 'redis' && !e.REDIS_URL) {
    // The cache speaks the Redis protocol (ioredis); Upstash offers it too: rediss://default:<token>@<host>:6379.
    issues.push({
      variable: 'CACHE_TYPE',
      rule: 'redis cache needs REDIS_URL (for Upstash: its rediss:// URL)',
    });
  }
  if (e.UPSTASH_REDIS_REST_URL && !e.UPSTASH_REDIS_REST_TOKEN) {
    issues.push({
      variable: 'UPSTASH_REDIS_REST_TOKEN',
      rule: 'required when UPSTASH_REDIS_REST_URL is set',
    });
  }
  if (e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL)) {
    issues.push({ variable: 'REDIS_URL', rule: 'must start with redis:// or rediss://' });
  }
  if (e.BATCH_QUEUE === 'bullmq' && !e.REDIS_URL) {
    issues.push({ variable: 'BATCH_QUEUE', rule: 'bullmq needs REDIS_URL' });
  }
  if (e.ENVIRONMENT === 'production' && !e.APP_URL) {
    // Sign-in callbacks and redirects are built from it; a Host header must never decide where they point.
    issues.push({
      variable: 'APP_URL',
      rule: 'required in production (the public https:// address of the app)',
    });
  }
  if (e.METRICS_PORT !== 0 && !e.METRICS_TOKEN && e.ENVIRONMENT !== 'development') {
    issues.push({
      variable: 'METRICS_PORT',
      rule: 'needs METRICS_TOKEN outside development (the listener answers only "Authorization: Bearer <token>")',
    });
  }
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    issues.push({
      variable: 'METRICS_PORT',
      rule: 'must differ from PORT (0 serves metrics on the main port only)',
    });
  }
  return issues;
}

/** The validated settings in the shape modules read them: grouped by concern, names in camelCase. */
const configSchema = envSchema
  .superRefine((e, ctx) => {
    for (const issue of crossVariableIssues(e))
      ctx.addIssue({ code: 'custom', path: [issue.variable], message: issue.rule });
  })
  .transform((e) => ({
    environment: e.ENVIRONMENT,
    env: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    app: { name: e.APP_NAME, url: e.APP_URL },
    server: {
      host: e.HOST,
      trustProxy: e.TRUST_PROXY,
      proxyHops: e.TRUSTED_PROXY_HOPS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    http: { corsOrigins: e.CORS_ORIGINS },
    limits: {
      maxBytes: e.MAX_UPLOAD_BYTES,
      maxPixels: e.MAX_PIXELS,
      uploadMemoryBytes: e.UPLOAD_MEMORY_BYTES,
    },
    performance: { workers: e.WORKERS, queueSize: e.QUEUE_SIZE },
    models: { dir: e.MODELS_DIR },
    modelFiles: { classifier: e.CLASSIFIER_MODEL, params: e.PARAMS_MODEL },
    cache: {
      type: e.CACHE_TYPE,
      ttlSeconds: e.CACHE_TTL_SECONDS,
      maxEntries: e.CACHE_MAX_ENTRIES,
      maxBytes: e.CACHE_MAX_BYTES,
      dir: e.CACHE_DIR,
    },
    dataDir: e.DATA_DIR,
    batch: {
      maxFiles: e.BATCH_SIZE,
      maxBytes: e.BATCH_MAX_BYTES,
      maxInFlight: e.BATCH_MAX_IN_FLIGHT,
      queue: e.BATCH_QUEUE === 'auto' ? (e.REDIS_URL ? 'bullmq' : 'embedded') : e.BATCH_QUEUE,
      queueMax: e.BATCH_QUEUE_MAX,
      attempts: e.BATCH_ATTEMPTS,
      retentionHours: e.BATCH_RETENTION_HOURS,
      stalledSeconds: e.BATCH_STALLED_SECONDS,
      webhookSecret: e.BATCH_WEBHOOK_SECRET,
      webhookAllowPrivate: e.BATCH_WEBHOOK_ALLOW_PRIVATE,
      autoFiles: e.BATCH_AUTO_FILES,
      concurrency: e.WORKER_CONCURRENCY ?? e.WORKERS,
    } as const,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    qualityTargets: {
      simple: e.TARGET_QUALITY_SIMPLE,
      text: e.TARGET_QUALITY_TEXT,
      gradient: e.TARGET_QUALITY_GRADIENT,
      complex: e.TARGET_QUALITY_COMPLEX,
    },
    /** Requests per window; 0 disables the limit for that class of caller. */
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
    metrics: { enabled: e.METRICS_ENABLED, port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    security: {
      staticApiKeys: e.API_KEYS,
      nextAuthSecret: e.NEXTAUTH_SECRET,
      adminEmails: e.ADMIN_EMAILS,
    },
    vercel: Boolean(e.VERCEL),
  }));

export type AppConfig = z.output<typeof configSchema>;

/** Validates an environment (profile defaults applied) into the AppConfig; throws ConfigError listing every issue. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = configSchema.safeParse(applyProfile(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: i.path.join('.'), rule: i.message })));
  }
  return parsed.data;
}
