/** next-auth (v4) configuration: email + password credentials, JWT sessions carrying the user id. */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getConfig } from '@/lib/config';
import { authenticate } from './accounts';
import { getAuthSecret } from './secret';

export const SIGN_IN_PATH = '/account';
const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

const KEY = Symbol.for('svgai.auth.options');

export function getAuthOptions(): NextAuthOptions {
  const holder = globalThis as { [KEY]?: NextAuthOptions };
  if (holder[KEY]) return holder[KEY];
  const config = getConfig();
  // next-auth v4 reads its public origin only from the environment: use APP_URL when configured, else trust the
  // Host header (self-hosted, usually behind our own nginx), instead of its default of http://localhost:3000.
  if (!process.env.NEXTAUTH_URL) {
    if (config.app.url) process.env.NEXTAUTH_URL = config.app.url;
    else process.env.AUTH_TRUST_HOST ??= 'true';
  }
  holder[KEY] = {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials) {
          const user = await authenticate(credentials?.email, credentials?.password);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === 'string') (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
  };
  return holder[KEY];
}

/** The signed-in user's id from a next-auth session object (null when signed out). */
export function sessionUserId(session: unknown): string | null {
  const id = (session as { user?: { id?: unknown } } | null)?.user?.id;
  return typeof id === 'string' && id ? id : null;
}
