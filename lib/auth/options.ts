/** next-auth (v4) configuration: email + password credentials, JWT sessions carrying the user id. */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getConfig } from '@/lib/config';
import { authenticate } from './accounts';
import { clientIp } from './caller';
import { getAuthSecret } from './secret';
import { countSignInAttempt } from './sign-in-limit';

const SIGN_IN_PATH = '/account';
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
        async authorize(credentials, req) {
          // Thrown errors reach the sign-in form as the message (next-auth passes it through as `error`).
          await countSignInAttempt(
            String(credentials?.email ?? ''),
            // next-auth v4 hands authorize plain headers, not the socket: without a trusted proxy every caller
            // shares one bucket per email, which still caps guessing against each account.
            clientIp(req?.headers, config.server.trustProxy),
          );
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
