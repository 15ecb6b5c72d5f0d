/**
 * Password hashing for credentials sign-in: scrypt with a per-password salt, parameters stored with the hash,
 * run one at a time so a flood of sign-ins can neither fill libuv's thread pool nor take every core.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Hashes computed at once, and hashes allowed to wait. libuv's pool has 4 threads shared by file reads, DNS and
 * sharp; without this bound, 20 concurrent sign-ins held all four and liveness waited seconds behind them.
 */
const CONCURRENT_HASHES = 1;
const WAITING_HASHES = 16;

/** More sign-ins are being checked than the server hashes at once: the caller answers 503, retry shortly. */
export class PasswordHasherBusyError extends Error {
  constructor() {
    super('Too many sign-ins are being checked right now: try again in a moment.');
    this.name = 'PasswordHasherBusyError';
  }
}

let running = 0;
const waiting: (() => void)[] = [];

/** Whether a new hash would be refused now (the sign-in endpoint answers 503 before doing any other work). */
export function hashingIsSaturated(): boolean {
  return running >= CONCURRENT_HASHES && waiting.length >= WAITING_HASHES;
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENT_HASHES) {
    if (waiting.length >= WAITING_HASHES) throw new PasswordHasherBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  withHashSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );

// N=2^15, r=8, p=1: ~50 ms and 32 MB per hash (OWASP's scrypt minimum is N=2^17 with p=1 at 128 MB; we trade
// some of that for a server shared with image conversion). Stored per hash, so raising it later is compatible.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, {
    ...PARAMS,
    maxmem: 64 * 1024 * 1024,
  });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  const actual = await scrypt(password.normalize('NFKC'), salt, expected.length, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
