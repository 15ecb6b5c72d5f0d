/**
 * Next.js proxy (formerly middleware) for pages: a fresh CSP nonce per response (Next reads the policy from the
 * request headers and puts the nonce on its own scripts; the policy itself lives in lib/http/security-headers.mjs),
 * and a browser without one gets its history cookie on the first page it loads, so every upload it then makes,
 * however many start at once, is recorded under the same cookie (lib/auth/history-cookie.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { historyCookieToIssue } from '@/lib/auth/history-cookie';
import { createNonce, pageContentSecurityPolicy } from '@/lib/http/security-headers.mjs';

export function proxy(request: NextRequest) {
  const nonce = createNonce();
  // APP_URL as lib/config validated it at boot.
  const https = (process.env.APP_URL ?? '').startsWith('https://');
  const policy = pageContentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === 'development',
    https,
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  // Served over HTTPS: browsers must never come back over plain HTTP (nginx repeats it; Vercel has no nginx).
  if (https) response.headers.set('strict-transport-security', 'max-age=63072000; includeSubDomains');
  const cookie = historyCookieToIssue(request);
  if (cookie) response.headers.append('set-cookie', cookie);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API answers, build assets and raw SVG previews carry their own fixed policies and never mint a
      // history cookie.
      source: '/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt|history/[^/]+/svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
