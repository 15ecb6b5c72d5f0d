/** Settings for running the service in production (server, API, cache, logs, metrics, security), merged into envSchema. */
import { z } from 'zod';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'must be true or false (or 1/0, yes/no, on/off)',
    })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');
const ratio = (def: number) => z.coerce.number().gt(0).max(1).default(def);

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

export const opsEnvFields = {
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
    .describe('Public base URL (links, CORS, smoke tests).'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the server binds to.'),
  TRUST_PROXY: bool(false).describe(
    'Trust X-Forwarded-For/-Proto from the reverse proxy that terminates TLS (client IP for rate limits).',
  ),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 1_000, 600_000).describe(
    'On SIGTERM, how long in-flight conversions may finish before the process exits.',
  ),
  API_PREFIX: z
    .string()
    .regex(/^\/[a-z0-9/_-]*[a-z0-9]$/, 'must be a path like /api/v1')
    .default('/api/v1')
    .describe('Base path of the REST API.'),
  CORS_ORIGINS: originList.describe(
    'Origins allowed to call the API from a browser: *, empty, or a comma list.',
  ),
  CLASSIFIER_MODEL: z
    .string()
    .regex(/^[\w.-]+\.onnx$/, 'must be an .onnx file name inside MODELS_DIR')
    .default('classifier.onnx')
    .describe('Image-type classifier model file in MODELS_DIR.'),
  PARAMS_MODEL: z
    .string()
    .regex(/^[\w.-]+\.onnx$/, 'must be an .onnx file name inside MODELS_DIR')
    .default('optimizer.onnx')
    .describe('Trace-parameter predictor model file in MODELS_DIR.'),
  CACHE_TYPE: z
    .enum(['none', 'memory', 'disk', 'redis'])
    .default('memory')
    .describe('Where converted SVGs are cached: none, memory (per process), disk (CACHE_DIR) or redis.'),
  CACHE_TTL_SECONDS: int(3600, 0, 30 * 86_400).describe(
    'How long a cached conversion stays valid (0 = no expiry).',
  ),
  CACHE_MAX_ENTRIES: int(1000, 1, 10_000_000).describe('Most entries the memory or disk cache keeps (LRU).'),
  CACHE_DIR: z.string().min(1).default('data/cache').describe('Folder of the disk cache.'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder of the SQLite file and other state (disk checks).'),
  BATCH_SIZE: int(20, 1, 500).describe('Most images in one batch request.'),
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
    .describe('When set, /api/metrics requires "Authorization: Bearer <token>".'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Lowest log level written.'),
  LOG_FORMAT: z
    .enum(['json', 'pretty'])
    .default('json')
    .describe('json = one JSON object per line; pretty = for humans.'),
  API_KEYS: z
    .string()
    .refine(
      (v) => v.split(',').every((k) => k.trim().length >= 16),
      'must be a comma list of keys of 16+ characters',
    )
    .optional()
    .describe('Static API keys accepted besides database keys (comma list). Prefer database keys.'),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('Session signing secret.'),
  VERCEL: z.string().optional().describe('Set by Vercel itself; refuses SQLite and the disk cache there.'),
};

/** Defaults that depend on ENVIRONMENT; explicit environment values always win. */
export const profileDefaults: Record<'development' | 'staging' | 'production', Record<string, string>> = {
  development: { LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty', TRUST_PROXY: 'false', CACHE_TTL_SECONDS: '300' },
  staging: { LOG_LEVEL: 'debug', LOG_FORMAT: 'json', TRUST_PROXY: 'true' },
  production: { LOG_LEVEL: 'info', LOG_FORMAT: 'json', TRUST_PROXY: 'true', CORS_ORIGINS: '' },
};

/** Fill unset variables from the profile; empty strings count as unset (a blank line in .env is not a value). */
export function applyProfile(env: Record<string, string | undefined>): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') given[k] = v;
  const name = given.ENVIRONMENT as keyof typeof profileDefaults | undefined;
  const profile = (name && profileDefaults[name]) || profileDefaults.development;
  const merged: Record<string, string> = { ...profile, ...given };
  // Redis becomes the shared cache once it is configured outside development, so replicas share hits.
  if (name && name !== 'development' && !given.CACHE_TYPE && given.REDIS_URL) {
    merged.CACHE_TYPE = 'redis';
  }
  return merged;
}

export type ConfigIssue = { variable: string; rule: string };

type ParsedOps = {
  DATABASE_URL: string;
  CACHE_TYPE: 'none' | 'memory' | 'disk' | 'redis';
  REDIS_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  VERCEL?: string;
  METRICS_PORT: number;
  PORT: number;
};

/** Rules that span several variables (zod checks one value at a time). */
export function checkConstraints(e: ParsedOps): ConfigIssue[] {
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
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    issues.push({
      variable: 'METRICS_PORT',
      rule: 'must differ from PORT (0 serves metrics on the main port only)',
    });
  }
  return issues;
}

/** Thrown once at boot; the message names each bad variable and the rule it broke, never the secret value. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.rule}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** The production-readiness settings on their own (tests and tools); envSchema merges the same fields. */
export const opsObject = z.object(opsEnvFields);
type OpsEnv = z.output<typeof opsObject>;

export type OpsConfig = {
  environment: OpsEnv['ENVIRONMENT'];
  app: { name: string; url?: string };
  server: { host: string; trustProxy: boolean; shutdownTimeoutMs: number };
  http: { prefix: string; corsOrigins: string[] };
  modelFiles: { classifier: string; params: string };
  cache: { type: OpsEnv['CACHE_TYPE']; ttlSeconds: number; maxEntries: number; dir: string };
  dataDir: string;
  batchSize: number;
  requestTimeoutMs: number;
  qualityTargets: { simple: number; text: number; gradient: number; complex: number };
  metrics: { enabled: boolean; port: number; token?: string };
  log: { level: OpsEnv['LOG_LEVEL']; format: OpsEnv['LOG_FORMAT'] };
  security: { staticApiKeys: string[]; nextAuthSecret?: string };
  vercel: boolean;
};

export function mapOpsConfig(e: OpsEnv): OpsConfig {
  return {
    environment: e.ENVIRONMENT,
    app: { name: e.APP_NAME, url: e.APP_URL },
    server: { host: e.HOST, trustProxy: e.TRUST_PROXY, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    http: { prefix: e.API_PREFIX, corsOrigins: e.CORS_ORIGINS },
    modelFiles: { classifier: e.CLASSIFIER_MODEL, params: e.PARAMS_MODEL },
    cache: {
      type: e.CACHE_TYPE,
      ttlSeconds: e.CACHE_TTL_SECONDS,
      maxEntries: e.CACHE_MAX_ENTRIES,
      dir: e.CACHE_DIR,
    },
    dataDir: e.DATA_DIR,
    batchSize: e.BATCH_SIZE,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    qualityTargets: {
      simple: e.TARGET_QUALITY_SIMPLE,
      text: e.TARGET_QUALITY_TEXT,
      gradient: e.TARGET_QUALITY_GRADIENT,
      complex: e.TARGET_QUALITY_COMPLEX,
    },
    metrics: { enabled: e.METRICS_ENABLED, port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    security: {
      staticApiKeys: e.API_KEYS ? e.API_KEYS.split(',').map((k) => k.trim()) : [],
      nextAuthSecret: e.NEXTAUTH_SECRET,
    },
    vercel: Boolean(e.VERCEL),
  };
}
