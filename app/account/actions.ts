'use server';
// Server actions of the account page: thin adapters over lib/auth and lib/db (validation and rules live there).
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { ZodError } from 'zod';
import { signUp } from '@/lib/auth/accounts';
import { API_KEY_SCOPES, createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { PasswordHasherBusyError } from '@/lib/auth/password';
import { endAllSessions, endUserSession, getCurrentUser } from '@/lib/auth/sessions';
import { admitSignUp } from '@/lib/auth/sign-in-guard';
import { getConfig } from '@/lib/config';
import { clientAddress } from '@/lib/http/client-address';
import { InvalidRecordError } from '@/lib/db/invalid-record-error';
import { EmailTakenError } from '@/lib/db/users';

// React resets a form after its action runs; the state hands the typed values back so an error keeps them.
export type SignUpState = { ok: boolean; error?: string; values?: { email: string; name: string } };
export type CreateKeyState = { key?: string; name?: string; error?: string; values?: { name: string } };

function firstMessage(err: unknown): string {
  if (err instanceof ZodError) return err.issues[0]?.message ?? 'Check the form.';
  if (err instanceof InvalidRecordError) return err.issues[0]?.message ?? err.message;
  if (err instanceof EmailTakenError) return 'An account with this email already exists: sign in instead.';
  if (err instanceof PasswordHasherBusyError) return err.message;
  throw err;
}

/** The signed-in user of this action's request, from its own cookies. */
async function currentUser() {
  return getCurrentUser((await headers()).get('cookie'));
}

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const values = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? '') };
  const c = getConfig();
  const address = clientAddress(await headers(), {
    trustProxy: c.server.trustProxy,
    proxyHops: c.server.proxyHops,
    vercel: c.vercel,
  });
  const wait = await admitSignUp(address);
  if (wait !== null) {
    const minutes = Math.ceil(wait / 60);
    return {
      ok: false,
      error: `Too many accounts were created from your network: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      values,
    };
  }
  try {
    await signUp({
      email: values.email,
      name: values.name || undefined,
      password: String(form.get('password') ?? ''),
    });
    return { ok: true, values };
  } catch (err) {
    return { ok: false, error: firstMessage(err), values };
  }
}

export async function createKeyAction(_prev: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  const user = await currentUser();
  if (!user) return { error: 'Your session has ended: sign in again.' };
  const values = { name: String(form.get('name') ?? '') };
  const scopes = form
    .getAll('scopes')
    .map(String)
    .filter((s) => (API_KEY_SCOPES as readonly string[]).includes(s));
  try {
    const { key, record } = await createApiKey(user.id, values.name, scopes);
    revalidatePath('/account');
    return { key, name: record.name };
  } catch (err) {
    return { error: firstMessage(err), values };
  }
}

export async function revokeKeyAction(form: FormData): Promise<void> {
  const user = await currentUser();
  if (!user) return;
  await revokeApiKey(String(form.get('id') ?? ''), user.id);
  revalidatePath('/account');
}

/** Ends one of the user's other sessions (another browser or device). */
export async function endSessionAction(form: FormData): Promise<void> {
  const user = await currentUser();
  if (!user) return;
  await endUserSession(user.id, String(form.get('id') ?? ''));
  revalidatePath('/account');
}

/** "Sign out everywhere": every session of the account ends, this browser's too (the page then shows sign-in). */
export async function endAllSessionsAction(): Promise<void> {
  const user = await currentUser();
  if (!user) return;
  await endAllSessions(user.id);
  revalidatePath('/account');
}
