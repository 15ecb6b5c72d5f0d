// next-auth (v4) endpoints: sign-in with email + password, session, CSRF, sign-out. Options live in lib/auth.
import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/options';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Built on first request, not at import: the options read validated config and the session secret.
const handler: Handler = (req, ctx) => (NextAuth(getAuthOptions()) as unknown as Handler)(req, ctx);

export { handler as GET, handler as POST };
