// scrypt password hashes: round trip, salted, tamper-evident, and robust to malformed stored values.
import { describe, expect, it } from 'vitest';
import { hashingIsSaturated, hashPassword, PasswordHasherBusyError, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('treats Unicode-equivalent spellings as the same password', async () => {
    const composed = 'caf\u00e9-passw0rd';
    const decomposed = 'cafe\u0301-passw0rd';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('returns false for malformed or hostile stored hashes instead of throwing', async () => {
    const good = await hashPassword('pw123456');
    const parts = good.split('$');
    for (const stored of [
      '',
      'plain',
      'bcrypt$x',
      `scrypt$0$8$1$${parts[4]}$${parts[5]}`,
      `scrypt$${1 << 30}$8$1$${parts[4]}$${parts[5]}`,
      `scrypt$32768$8$1$$${parts[5]}`,
    ]) {
      expect(await verifyPassword('pw123456', stored)).toBe(false);
    }
  });
});

describe('hashing under a flood', () => {
  it('computes one hash at a time, lets a bounded number wait, and refuses the rest at once', async () => {
    const hash = await hashPassword('flood-password');
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => verifyPassword('wrong-password', hash)),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    // 1 running + 16 waiting; the other 23 are refused without a hash (the sign-in route answers 503).
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(17);
    expect(refused).toHaveLength(23);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PasswordHasherBusyError);
    expect(hashingIsSaturated()).toBe(false);
    expect(await verifyPassword('flood-password', hash)).toBe(true);
  });
});
