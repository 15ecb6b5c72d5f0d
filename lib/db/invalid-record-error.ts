/** Raised before any write when data for the database fails validation, so bad input never touches stored rows. */
import type { z } from 'zod';

export class InvalidRecordError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(what: string, error: z.ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    super(`Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidRecordError';
    this.issues = issues;
  }
}
