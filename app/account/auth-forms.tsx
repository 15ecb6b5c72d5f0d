'use client';
// Sign in and create an account (email + password). Sign-in goes through next-auth's credentials provider.
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useActionState, useState, type FormEvent } from 'react';
import { signUpAction, type SignUpState } from './actions';
import styles from './account.module.css';
import { TextField } from './text-field';

export function AuthForms() {
  const router = useRouter();
  const [signInError, setSignInError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  /** null when signed in, else the message to show. */
  async function signInWith(email: string, password: string): Promise<string | null> {
    const res = await signIn('credentials', { email, password, redirect: false });
    if (res?.ok && !res.error) {
      router.refresh();
      return null;
    }
    // CredentialsSignin = wrong email or password; anything else is a message from the server (e.g. throttled).
    return res?.error && res.error !== 'CredentialsSignin' ? res.error : 'Wrong email or password.';
  }

  async function onSignIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setSignInError(null);
    const error = await signInWith(String(form.get('email')), String(form.get('password')));
    setPending(false);
    setSignInError(error);
  }

  const [signUpState, signUpFormAction, signingUp] = useActionState(
    async (prev: SignUpState, form: FormData) => {
      const state = await signUpAction(prev, form);
      if (state.ok && (await signInWith(String(form.get('email')), String(form.get('password')))) !== null) {
        return {
          ok: false,
          error: 'Account created, but signing in failed: try signing in.',
          values: state.values,
        };
      }
      return state;
    },
    { ok: false },
  );

  return (
    <div className={styles.grid}>
      <section className={styles.card} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <form onSubmit={onSignIn} noValidate>
          <TextField
            id="signin-email"
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
          />
          <TextField
            id="signin-password"
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          <button className={styles.primary} type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
          {signInError && (
            <p className={styles.error} role="alert">
              {signInError}
            </p>
          )}
        </form>
      </section>

      <section className={styles.card} aria-labelledby="sign-up-title">
        <h2 id="sign-up-title">Create an account</h2>
        <form action={signUpFormAction} noValidate>
          <TextField
            id="signup-name"
            label="Name (optional)"
            name="name"
            type="text"
            autoComplete="name"
            maxLength={100}
            defaultValue={signUpState.values?.name}
          />
          <TextField
            id="signup-email"
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={signUpState.values?.email}
          />
          <TextField
            id="signup-password"
            label="Password (8+ characters)"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
          <button type="submit" disabled={signingUp}>
            {signingUp ? 'Creating…' : 'Create account'}
          </button>
          {signUpState.error && (
            <p className={styles.error} role="alert">
              {signUpState.error}
            </p>
          )}
        </form>
      </section>
    </div>
  );
}
