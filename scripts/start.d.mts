// Types for scripts/start.mjs (its helpers are exported for the integration test).
export function prepareStandalone(root?: string): string[];
export function serverEnv(
  env?: Record<string, string | undefined>,
  root?: string,
): Record<string, string | undefined>;
export function needsBuild(root?: string): boolean;
export function migrateOnStart(
  env?: Record<string, string | undefined>,
  root?: string,
  log?: (m: string) => void,
): Promise<string[]>;
