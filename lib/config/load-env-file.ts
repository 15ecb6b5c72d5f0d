/** Reads `.env` (and `.env.local`) into process.env once, without overriding variables already set. */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';

const KEY = Symbol.for('svgai.config.envFileLoaded');

export function loadEnvFiles(dir: string = process.cwd(), target: NodeJS.ProcessEnv = process.env): string[] {
  const holder = globalThis as { [KEY]?: boolean };
  if (holder[KEY] && target === process.env) return [];
  holder[KEY] = true;
  const loaded: string[] = [];
  // .env.local first so its values win over .env (dotenv never overrides what is already set).
  for (const name of ['.env.local', '.env']) {
    // turbopackIgnore: a runtime path, not a file to trace (otherwise the whole project lands in the build output).
    const file = path.join(/*turbopackIgnore: true*/ dir, name);
    if (!fs.existsSync(/*turbopackIgnore: true*/ file)) continue;
    dotenv.config({ path: file, processEnv: target as Record<string, string>, quiet: true });
    loaded.push(file);
  }
  return loaded;
}
