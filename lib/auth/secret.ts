/** The session signing secret: NEXTAUTH_SECRET, else one generated once and kept in the data folder. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';

const KEY = Symbol.for('svgai.auth.secret');

/**
 * A self-hosted `npm start` should work without setting anything, so a missing secret is generated and stored
 * (mode 600) where the database lives. Deployments with several instances must set NEXTAUTH_SECRET so every
 * instance signs sessions with the same key.
 */
export function getAuthSecret(options: { dataDir?: string; configured?: string } = {}): string {
  const config = getConfig();
  const configured = 'configured' in options ? options.configured : config.security.nextAuthSecret;
  if (configured) return configured;
  const { dataDir } = options;
  const holder = globalThis as { [KEY]?: string };
  if (holder[KEY] && !dataDir) return holder[KEY];
  // turbopackIgnore: a runtime folder, not a build input (otherwise the whole project is traced into the output).
  const file = path.resolve(/*turbopackIgnore: true*/ dataDir ?? config.dataDir, 'auth-secret');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error('too short');
  } catch {
    secret = randomBytes(32).toString('hex');
    mkdirSync(path.dirname(file), { recursive: true });
    // 'wx' fails if another process wrote it first: then theirs wins and we read it back.
    try {
      writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    } catch {
      secret = readFileSync(file, 'utf8').trim();
    }
  }
  if (!dataDir) holder[KEY] = secret;
  return secret;
}
