// The one parser of boolean settings. Plain JavaScript on purpose: scripts/start.mjs reads MIGRATE_ON_START with it
// before any build exists, and the zod schema (lib/config/schema.ts) builds every boolean setting on it, so the
// start script and the server accept exactly the same spellings.

/** The accepted spellings, each true word before its false one. Case matters: `TRUE` is refused. */
export const BOOLEAN_WORDS = Object.freeze(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']);
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);

/** What a refused value is told (after the variable's name). */
export const BOOLEAN_RULE = 'must be true or false (or 1/0, yes/no, on/off)';

/** Whether npm start applies migrations when MIGRATE_ON_START is unset (the schema's default too). */
export const MIGRATE_ON_START_DEFAULT = true;

/** true or false for an accepted spelling, undefined for anything else. */
export function parseBoolean(value) {
  return BOOLEAN_WORDS.includes(value) ? TRUE_WORDS.has(value) : undefined;
}

/**
 * A boolean setting straight from an environment, for code that runs without the app's config (scripts/start.mjs).
 * Unset or empty takes `fallback` (an empty line in .env is not a value); any other spelling throws, naming the
 * variable and the rule, as the server's own validation would.
 */
export function readBooleanSetting(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = parseBoolean(raw);
  if (value === undefined) throw new Error(`${name} ${BOOLEAN_RULE}`);
  return value;
}
