/** Descriptions for settings declared without `.describe()`, so the generated docs table explains every variable. */
export const fallbackDescriptions: Record<string, string> = {
  NODE_ENV: 'Set by Next.js (production for `npm start`); use ENVIRONMENT to choose the deployment profile.',
  PORT: 'HTTP port of the server.',
  DATABASE_URL:
    'file:./data/app.db (embedded SQLite) or postgresql://user:password@host:5432/db (password masked in output).',
  MAX_UPLOAD_BYTES: 'Largest accepted upload / request body in bytes (also set nginx client_max_body_size).',
  UPLOAD_MEMORY_BYTES:
    'Bytes of request bodies the process holds at once (read, queued or converting); past it uploads get 503 before being read.',
  MAX_PIXELS: 'Largest accepted image in pixels (width x height); larger images are refused before decoding.',
  WORKERS: 'Conversion worker threads per process (about one per CPU core).',
  QUEUE_SIZE: 'Conversions that may wait for a worker; beyond it the API answers 503 with Retry-After.',
  MODELS_DIR: 'Folder holding the ONNX models.',
  API_KEYS_REQUIRED: 'Refuse API calls without a valid API key (turn on for public deployments).',
  RATE_LIMIT_ANONYMOUS:
    'Requests per window per client address (IPv6: per /64) without an API key or session (0 = unlimited).',
  RATE_LIMIT_API_KEY: 'Requests per window per API key (0 = unlimited).',
  RATE_LIMIT_WINDOW_SECONDS: 'Length of the rate-limit window in seconds.',
  REDIS_URL:
    'redis://[:password@]host:6379/0; shared cache, rate limits and sign-in throttling (password masked in output).',
  UPSTASH_REDIS_REST_URL: 'Upstash Redis REST URL (serverless / Vercel) for rate limits and cache.',
  UPSTASH_REDIS_REST_TOKEN: 'Upstash Redis REST token.',
};
