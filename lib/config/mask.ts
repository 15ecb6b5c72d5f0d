/** Masks secrets in settings so they can be printed by config:check, logged, or shown on the ops page. */

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|CREDENTIALS|^API_KEYS?$)/i;
const MASK = '********';

export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Hide the password of a connection URL but keep host and database, which operators need to see. */
export function maskUrlCredentials(value: string): string {
  return value.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^:/@\s]*):([^@\s]*)@/i,
    (_m, scheme: string, user: string) => {
      return `${scheme}${user}:${MASK}@`;
    },
  );
}

export function maskValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isSecretVariable(name)) return value === '' ? '' : MASK;
  return maskUrlCredentials(value);
}

/** Replace every occurrence of the given secret values inside free text (error messages, stack traces). */
export function redactSecretsInText(text: string, env: Record<string, string | undefined>): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (isSecretVariable(name)) out = out.split(value).join(MASK);
    else if (value !== maskUrlCredentials(value)) out = out.split(value).join(maskUrlCredentials(value));
  }
  return out;
}
