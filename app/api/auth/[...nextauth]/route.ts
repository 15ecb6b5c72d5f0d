// next-auth (v4) endpoints: CSRF, sign-in with email + password, session, sign-out. Throttling, callback URL
// checks and the next-auth options live in lib/ (lib/api/auth-endpoint.ts, lib/auth/options.ts).
import { createAuthHandler } from '@/lib/api/auth-endpoint';
import { refuseOtherMethods } from '@/lib/api/method-guard';
import { withApi } from '@/lib/api/with-api';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The guard throttles sign-in itself (per address, per account and address, globally): no API rate limit here.
const handler = withApi<{ nextauth?: string[] }>(
  { route: '/api/auth/{action}', scope: 'public', rateLimited: false },
  createAuthHandler(),
);

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = refuseOtherMethods('/api/auth/{action}', ['GET', 'POST']);
