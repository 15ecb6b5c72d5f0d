/** The error a bad configuration raises: every bad variable with the rule it broke, never the secret value. */

export type ConfigIssue = { variable: string; rule: string };

/** Thrown once at boot; the message names each bad variable and the rule it broke, never the secret value. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.rule}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
