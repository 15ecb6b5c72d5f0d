/** Validates an environment and prints the effective settings with secrets masked; exits 1 on bad config. */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '@/lib/config';
import { describeEffectiveSettings } from '@/lib/config/describe-settings';
import { loadEnvFiles } from '@/lib/config/load-env-file';

const program = new Command()
  .name('config:check')
  .description(
    'Validate the configuration (environment + .env) and print the effective settings, secrets masked.',
  )
  .option(
    '--env-file <file>',
    'validate this file (its values win over the process environment) instead of .env',
  )
  .option('--json', 'print the effective settings as JSON')
  .option('--quiet', 'print only errors')
  .parse();

const opts = program.opts<{ envFile?: string; json?: boolean; quiet?: boolean }>();
const env: Record<string, string | undefined> = { ...process.env };
if (opts.envFile) {
  const file = path.resolve(opts.envFile);
  if (!fs.existsSync(file)) {
    console.error(`config:check: env file not found: ${file}`);
    process.exit(2);
  }
  // The file under test wins: a deploy checks exactly what the server will read.
  Object.assign(env, dotenv.parse(fs.readFileSync(file)));
} else {
  loadEnvFiles(process.cwd(), env as NodeJS.ProcessEnv);
}

try {
  const config = loadConfig(env);
  const settings = describeEffectiveSettings(env);
  if (opts.json) {
    console.log(JSON.stringify({ ok: true, environment: config.environment, settings }, null, 2));
  } else if (!opts.quiet) {
    const width = Math.max(...settings.map((s) => s.variable.length));
    console.log(`Configuration OK (ENVIRONMENT=${config.environment}, NODE_ENV=${config.env})\n`);
    for (const s of settings) {
      console.log(`  ${s.variable.padEnd(width)}  ${(s.value ?? '(unset)').padEnd(28)}  [${s.source}]`);
    }
  }
} catch (err) {
  if (err instanceof ConfigError) {
    if (opts.json) console.log(JSON.stringify({ ok: false, issues: err.issues }, null, 2));
    else console.error(err.message);
    process.exit(1);
  }
  throw err;
}
