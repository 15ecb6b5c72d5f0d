'use server';
// Server actions of the account page: thin adapters over lib/auth and lib/db (validation and rules live there).
import { revalidatePath } from 'next/cache';
import { ZodError } from 'zod';
import { signUp } from '@/lib/auth/accounts';
import { API_KEY_SCOPES, createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { getCurrentUser } from '@/lib/auth/session';
import { InvalidRecordError } from '@/lib/db/invalid-record-error';
import { EmailTakenError } from '@/lib/db/users';

// React resets a form after its action runs; the state hands the typed values back so an error keeps them.
export type SignUpState = { ok: boolean; error?: string; values?: { email: string; name: string } };
export type CreateKeyState = { key?: string; name?: string; error?: string; values?: { name: string } };

function firstMessage(err: unknown): string {
  if (err instanceof ZodError) return err.issues[0]?.message ?? 'Check the form.';
  if (err instanceof InvalidRecordError) return err.issues[0]?.message ?? err.message;
  if (err instanceof EmailTakenError) return 'An account with this email already exists: sign in instead.';
  throw err;
}

export async function signUpAction(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const values = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? '') };
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
  const user = await getCurrentUser();
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
  const user = await getCurrentUser();
  if (!user) return;
  await revokeApiKey(String(form.get('id') ?? ''), user.id);
  revalidatePath('/account');
}
