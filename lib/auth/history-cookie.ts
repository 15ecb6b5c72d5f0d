/**
 * Issuing the anonymous history cookie. The page that uploads issues it (proxy.ts), before any conversion: four
 * first uploads from a fresh browser would otherwise each mint their own cookie, the browser would keep only the
 * last, and the history would lose the other three. The convert endpoint still issues one to callers that never
 * loaded a page.
 */
import { getConfig } from '@/lib/config';
import { createHistoryToken, historyCookieHeader, readHistoryToken } from './history-token';

/** Secure cookies only over HTTPS (directly, or behind a trusted proxy that says so); plain http in dev. */
export function isSecureRequest(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  return (
    getConfig().server.trustProxy &&
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

/** The Set-Cookie value that gives this browser its history cookie, or null when it already holds one. */
export function historyCookieToIssue(request: Request): string | null {
  if (readHistoryToken(request.headers.get('cookie'))) return null;
  return historyCookieHeader(createHistoryToken(), isSecureRequest(request));
}
