/** The anonymous browser's history cookie: a random token that lets a signed-out browser see what it converted. */
import { createHash, randomBytes } from 'node:crypto';

export const HISTORY_COOKIE = 'svgai_history';
// 32 random bytes: unguessable, so holding the cookie is the proof of ownership.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function createHistoryToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the Conversion row keeps: never the token itself, so a database dump cannot impersonate a browser. */
export function hashHistoryToken(token: string): string {
  return createHash('sha256').update(`svgai-history:${token}`).digest('hex');
}

/** The cookie's value when it is one we could have issued, else null. */
export function parseHistoryToken(value: string | null | undefined): string | null {
  return typeof value === 'string' && TOKEN_PATTERN.test(value) ? value : null;
}

/** The token from a Cookie header, or null when absent or not one we could have issued. */
export function readHistoryToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== HISTORY_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

/** Set-Cookie value: httpOnly (scripts never see it), SameSite=Lax (no cross-site POSTs carry it). */
export function historyCookieHeader(token: string, secure: boolean): string {
  return [
    `${HISTORY_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${ONE_YEAR_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
