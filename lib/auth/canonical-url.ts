/**
 * The app's public address, from configuration only. Sign-in callbacks, redirects and cookie security are built
 * from it; a request's Host or X-Forwarded-Host never decides where a user is sent.
 */
import { getConfig, type AppConfig } from '@/lib/config';

/** APP_URL without a trailing slash; in development without one, the local server (production refuses to boot). */
export function canonicalUrl(config: Pick<AppConfig, 'app' | 'port'> = getConfig()): string {
  return (config.app.url ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

/** Session cookies are `Secure` (and `__Secure-` named) exactly when the app is served over HTTPS. */
export function usesSecureCookies(config: Pick<AppConfig, 'app' | 'port'> = getConfig()): boolean {
  return canonicalUrl(config).startsWith('https://');
}
