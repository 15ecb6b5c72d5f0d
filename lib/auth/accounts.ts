/** Sign-up and sign-in with email + password (self-hosted: no email delivery needed). */
import { z } from 'zod';
import { createUser, findUserForSignIn, type UserRecord } from '@/lib/db/users';
import type { Db } from '@/lib/db/client';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './password';

const signUpSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address.')),
  name: z.string().trim().max(100, 'Keep the name under 100 characters.').optional(),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
});

type SignUpInput = z.input<typeof signUpSchema>;

/** Creates the account; throws InvalidRecordError-like zod errors via signUpSchema, EmailTakenError on a duplicate. */
export async function signUp(input: SignUpInput, db?: Db): Promise<UserRecord> {
  const data = signUpSchema.parse(input);
  const passwordHash = await hashPassword(data.password);
  return createUser({ email: data.email, name: data.name || null, passwordHash }, db);
}

// Verifying against a real-looking hash when the email is unknown keeps response time from revealing which
// emails have accounts.
let dummyHash: Promise<string> | undefined;

/** The user when email and password match, else null. */
export async function authenticate(email: unknown, password: unknown, db?: Db): Promise<UserRecord | null> {
  if (
    typeof email !== 'string' ||
    typeof password !== 'string' ||
    !email ||
    !password ||
    password.length > PASSWORD_MAX_LENGTH
  )
    return null;
  const user = await findUserForSignIn(email, db);
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
}
