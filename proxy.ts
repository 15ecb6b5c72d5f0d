// Next.js proxy (runs before pages): gives a browser without one its history cookie on the first page it loads,
// so every upload it then makes, however many start at once, is recorded under the same cookie.
import { NextResponse, type NextRequest } from 'next/server';
import { historyCookieToIssue } from '@/lib/auth/history-cookie';

export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  const cookie = historyCookieToIssue(request);
  if (cookie) response.headers.append('set-cookie', cookie);
  return response;
}

export const config = {
  // pages only: API calls, static assets and images never mint a cookie
  matcher: ['/((?!api/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt).*)'],
};
