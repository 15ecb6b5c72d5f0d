/** ENVIRONMENT profiles: defaults that depend on the deployment (development, staging, production). */

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
  // Test runs are quiet unless a test asks for a level.
  if (given.NODE_ENV === 'test' && !given.LOG_LEVEL) merged.LOG_LEVEL = 'silent';
  // Redis becomes the shared cache once it is configured outside development, so replicas share hits.
  if (name && name !== 'development' && !given.CACHE_TYPE && given.REDIS_URL) {
    merged.CACHE_TYPE = 'redis';
  }
  return merged;
}
