// Types for scripts/db/derive-schemas.mjs.
export const SOURCE: string;
export const DERIVED: string;
export function derivePostgresSchema(source: string): string;
