// Types for lib/config/env-boolean.mjs (plain JavaScript so scripts/start.mjs can import it before any build).
export const BOOLEAN_WORDS: readonly ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'];
export type BooleanWord = (typeof BOOLEAN_WORDS)[number];
export const BOOLEAN_RULE: string;
export const MIGRATE_ON_START_DEFAULT: boolean;
export function parseBoolean(value: string | undefined): boolean | undefined;
export function readBooleanSetting(
  env: Record<string, string | undefined>,
  name: string,
  fallback: boolean,
): boolean;
