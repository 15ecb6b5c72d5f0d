/**
 * next-auth (v4) configuration: email + password credentials, a JWT cookie naming a revocable AuthSession row
 * (lib/auth/sessions.ts), the public origin from configuration, and next-auth's own log lines through ours.
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getLogger } from '@/lib/log';
import { authenticate } from './accounts';
import { canonicalUrl, usesSecureCookies } from './canonical-url';
import { getAuthSecret } from './secret';
import { endSession, isSessionLive, SESSION_LIFETIME_SECONDS, startSession } from './sessions';

export const SIGN_IN_PATH = '/account';

/** Thrown by the jwt callback for a cookie whose session has ended: next-auth then clears the cookie. */
class SessionEndedError extends Error {
  constructor() {
    super('The session has ended.');
    this.name = 'SessionEndedError';
  }
}

const KEY = Symbol.for('svgai.auth.options');

/** next-auth's log lines as structured fields: a value it quotes (a callback URL) can never forge a line. */
function authLogger(): NextAuthOptions['logger'] {
  const log = () => getLogger().child({ component: 'next-auth' });
  const fields = (metadata: unknown) => {
    if (metadata instanceof SessionEndedError) return { sessionEnded: true };
    if (metadata instanceof Error) return { err: metadata };
    if (metadata && typeof metadata === 'object' && 'error' in metadata) {
      const { error, ...rest } = metadata as { error: unknown };
      if (error instanceof SessionEndedError) return { sessionEnded: true };
      return { ...rest, err: error instanceof Error ? error : new Error(String(error)) };
    }
    return metadata === undefined ? {} : { detail: metadata };
  };
  return {
    error(code, metadata) {
      const f = fields(metadata);
      // An ended session is routine (signed out elsewhere), not a server error.
      if ('sessionEnded' in f) log().info({ code }, 'session cookie of an ended session cleared');
      // So is a cookie that does not decrypt (forged, expired, another secret): one line, no stack.
      else if (code === 'JWT_SESSION_ERROR')
        log().info(
          { code, reason: f.err instanceof Error ? f.err.message.slice(0, 200) : undefined },
          'unreadable session cookie cleared',
        );
      else log().warn({ code, ...f }, `next-auth ${code}`);
    },
    warn(code) {
      log().warn({ code }, `next-auth ${code}`);
    },
    debug(code, metadata) {
      log().debug({ code, ...fields(metadata) }, `next-auth ${code}`);
    },
  };
}

export function getAuthOptions(): NextAuthOptions {
  const holder = globalThis as { [KEY]?: NextAuthOptions };
  if (holder[KEY]) return holder[KEY];
  // next-auth v4 takes its public origin only from NEXTAUTH_URL; without it, it would build callback URLs from
  // the request's Host / X-Forwarded-Host (AUTH_TRUST_HOST, or always on Vercel). Ours comes from APP_URL.
  process.env.NEXTAUTH_URL = canonicalUrl();
  delete process.env.AUTH_TRUST_HOST;
  holder[KEY] = {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_LIFETIME_SECONDS },
    jwt: { maxAge: SESSION_LIFETIME_SECONDS },
    useSecureCookies: usesSecureCookies(),
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    logger: authLogger(),
    debug: false,
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        // Throttling happens before this is called (lib/auth/sign-in-guard.ts), so no hash is computed for an
        // attempt that was going to be refused anyway.
        async authorize(credentials, req) {
          const user = await authenticate(credentials?.email, credentials?.password);
          if (!user) return null;
          const agent = (req?.headers as Record<string, unknown> | undefined)?.['user-agent'];
          return { id: user.id, email: user.email, name: user.name, userAgent: agent };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const agent = (user as { userAgent?: unknown }).userAgent;
          token.uid = user.id;
          token.sid = await startSession(user.id, typeof agent === 'string' ? agent : null);
          return token;
        }
        if (!(await isSessionLive(token as { uid?: string; sid?: string }))) throw new SessionEndedError();
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === 'string') (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token && typeof token.sid === 'string') await endSession(token.sid);
      },
    },
  };
  return holder[KEY];
}
