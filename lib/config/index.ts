/** The one validated configuration object; every module reads settings from here, never from process.env. */
import { loadConfig, type AppConfig } from './schema';
import { loadEnvFiles } from './load-env-file';

const KEY = Symbol.for('svgai.config');
type Holder = { [KEY]?: AppConfig };

/** The one reader of settings: `.env` files and the environment, validated once per process. */
export function getConfig(): AppConfig {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    loadEnvFiles();
    holder[KEY] = loadConfig(process.env);
  }
  return holder[KEY];
}

/** For tests and tools: drop the cached config so the next getConfig() reads the environment again. */
export function resetConfig(): void {
  delete (globalThis as Holder)[KEY];
}

export { loadConfig, type AppConfig } from './schema';
export { ConfigError, type ConfigIssue } from './config-error';
export { isSecretVariable, maskValue, maskUrlCredentials, redactSecretsInText } from './mask';
