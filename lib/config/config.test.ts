import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './schema';
import { ConfigError } from './config-error';
import {
  describeEffectiveSettings,
  listSettings,
  renderEnvExample,
  replaceConfigTable,
} from './describe-settings';
import { maskUrlCredentials, redactSecretsInText } from './mask';

const root = path.resolve(import.meta.dirname, '../..');

function issuesOf(env: Record<string, string>): { variable: string; rule: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('configuration validation', () => {
  it('accepts an empty environment with development defaults', () => {
    const c = loadConfig({});
    expect(c.environment).toBe('development');
    expect(c.log.format).toBe('pretty');
    expect(c.port).toBe(3000);
    expect(c.cache.type).toBe('memory');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /number/],
    [{ PORT: '70000' }, 'PORT', /65535/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /info/],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /json/],
    [{ CACHE_TYPE: 's3' }, 'CACHE_TYPE', /redis/],
    [{ ENVIRONMENT: 'prod' }, 'ENVIRONMENT', /production/],
    [{ TARGET_QUALITY_TEXT: '1.5' }, 'TARGET_QUALITY_TEXT', /1/],
    [{ TARGET_QUALITY_SIMPLE: '0' }, 'TARGET_QUALITY_SIMPLE', /0/],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS', /origins/],
    [{ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED', /true or false/],
    [{ WORKERS: '0' }, 'WORKERS', />=1/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', /postgresql/],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ CACHE_TYPE: 'redis' }, 'CACHE_TYPE', /REDIS_URL/],
    [{ METRICS_PORT: '3000', PORT: '3000' }, 'METRICS_PORT', /differ/],
    [{ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' }, 'UPSTASH_REDIS_REST_TOKEN', /required/],
  ])('rejects %j naming %s and the rule', (env, variable, rule) => {
    const issues = issuesOf(env as Record<string, string>);
    const issue = issues.find((i) => i.variable === variable);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.rule).toMatch(rule);
  });

  it('reads every boolean setting with the one parser that scripts/start.mjs uses too', async () => {
    const { parseBoolean, readBooleanSetting, BOOLEAN_WORDS } = await import('./env-boolean.mjs');
    for (const word of BOOLEAN_WORDS) {
      const c = loadConfig({ API_KEYS_REQUIRED: word, TRUST_PROXY: word, METRICS_ENABLED: word });
      const want = parseBoolean(word);
      expect([c.api.keysRequired, c.server.trustProxy, c.metrics.enabled], word).toEqual([want, want, want]);
      expect(readBooleanSetting({ MIGRATE_ON_START: word }, 'MIGRATE_ON_START', !want)).toBe(want);
    }
    expect(BOOLEAN_WORDS.filter((w) => parseBoolean(w))).toEqual(['true', '1', 'yes', 'on']);
    for (const variable of ['API_KEYS_REQUIRED', 'MIGRATE_ON_START', 'TRUST_PROXY']) {
      expect(issuesOf({ [variable]: 'TRUE' })).toEqual([
        { variable, rule: 'must be true or false (or 1/0, yes/no, on/off)' },
      ]);
      expect(() => readBooleanSetting({ [variable]: 'TRUE' }, variable, true)).toThrow(
        `${variable} must be true or false (or 1/0, yes/no, on/off)`,
      );
    }
    expect(readBooleanSetting({ MIGRATE_ON_START: '' }, 'MIGRATE_ON_START', true)).toBe(true);
  });

  it('gives the app the settings in its grouped shape, lists parsed by the schema', () => {
    const c = loadConfig({
      API_KEYS: ' first-static-key-0123 ,second-static-key-4567',
      VERCEL: '1',
      DATABASE_URL: 'postgresql://u:p@db/app',
    });
    expect(c.security.staticApiKeys).toEqual(['first-static-key-0123', 'second-static-key-4567']);
    expect(loadConfig({}).security.staticApiKeys).toEqual([]);
    expect(c.vercel).toBe(true);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).http).toEqual({
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
    expect(Object.keys(loadConfig({})).sort()).toEqual(
      [
        'api',
        'app',
        'batch',
        'cache',
        'dataDir',
        'databaseUrl',
        'env',
        'environment',
        'http',
        'limits',
        'log',
        'metrics',
        'modelFiles',
        'models',
        'performance',
        'port',
        'qualityTargets',
        'redis',
        'requestTimeoutMs',
        'security',
        'server',
        'vercel',
      ].sort(),
    );
  });

  it('refuses SQLite and the disk cache on Vercel', () => {
    expect(issuesOf({ VERCEL: '1' }).map((i) => i.variable)).toContain('DATABASE_URL');
    const disk = issuesOf({ VERCEL: '1', DATABASE_URL: 'postgresql://u:p@db/app', CACHE_TYPE: 'disk' });
    expect(disk).toEqual([{ variable: 'CACHE_TYPE', rule: expect.stringMatching(/Vercel/) }]);
    expect(loadConfig({ VERCEL: '1', DATABASE_URL: 'postgresql://u:p@db/app' }).vercel).toBe(true);
  });

  it('reports every bad variable at once, and never the secret value', () => {
    const secret = 'too-short-secret';
    const err = (() => {
      try {
        loadConfig({ NEXTAUTH_SECRET: secret, PORT: '-1' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.issues.map((i) => i.variable).sort()).toEqual(['NEXTAUTH_SECRET', 'PORT']);
    expect(err?.message).not.toContain(secret);
  });
});

describe('profiles', () => {
  it('production defaults to JSON logs at info, trusts the proxy, and same-origin CORS', () => {
    const c = loadConfig({ ENVIRONMENT: 'production', APP_URL: 'https://svg.example.com' });
    expect(c.log).toEqual({ level: 'info', format: 'json' });
    expect(c.server.trustProxy).toBe(true);
    expect(c.http.corsOrigins).toEqual([]);
  });

  it('explicit values win over the profile; empty values count as unset', () => {
    const c = loadConfig({
      ENVIRONMENT: 'production',
      APP_URL: 'https://svg.example.com',
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: '',
    });
    expect(c.log).toEqual({ level: 'info', format: 'pretty' });
  });

  it('production refuses to start without APP_URL: Host headers must never decide where sign-in points', () => {
    const err = (() => {
      try {
        loadConfig({ ENVIRONMENT: 'production' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.issues).toEqual([
      { variable: 'APP_URL', rule: expect.stringMatching(/required in production/) },
    ]);
    expect(() => loadConfig({ ENVIRONMENT: 'development' })).not.toThrow();
  });

  it('refuses a metrics port without METRICS_TOKEN outside development', () => {
    const env = { ENVIRONMENT: 'staging', METRICS_PORT: '9464' };
    expect(() => loadConfig(env)).toThrow(/METRICS_PORT/);
    expect(loadConfig({ ...env, METRICS_TOKEN: 'scrape-token-0123456789' }).metrics.port).toBe(9464);
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics.port).toBe(9464);
  });

  it('reads the trusted proxy hops and the admin emails', () => {
    const c = loadConfig({
      TRUST_PROXY: 'true',
      TRUSTED_PROXY_HOPS: '2',
      ADMIN_EMAILS: 'Ops@Example.org, b@x.io',
    });
    expect(c.server).toMatchObject({ trustProxy: true, proxyHops: 2 });
    expect(c.security.adminEmails).toEqual(['ops@example.org', 'b@x.io']);
    expect(() => loadConfig({ ADMIN_EMAILS: 'not-an-email' })).toThrow(/ADMIN_EMAILS/);
  });

  it('staging and production share the cache through Redis once it is configured', () => {
    expect(loadConfig({ ENVIRONMENT: 'staging', REDIS_URL: 'redis://r:6379' }).cache.type).toBe('redis');
    expect(loadConfig({ ENVIRONMENT: 'development', REDIS_URL: 'redis://r:6379' }).cache.type).toBe('memory');
  });
});

describe('secret masking', () => {
  it('masks secrets and URL passwords in the effective settings', () => {
    const rows = describeEffectiveSettings({
      DATABASE_URL: 'postgresql://app:hunter2pass@db:5432/svgai',
      METRICS_TOKEN: 'metrics-token-0123456789',
      REDIS_URL: 'redis://:redispass123@cache:6379/0',
    });
    const text = JSON.stringify(rows);
    expect(text).not.toContain('hunter2pass');
    expect(text).not.toContain('metrics-token-0123456789');
    expect(text).not.toContain('redispass123');
    expect(rows.find((r) => r.variable === 'DATABASE_URL')?.value).toBe(
      'postgresql://app:********@db:5432/svgai',
    );
    expect(rows.find((r) => r.variable === 'PORT')).toEqual({
      variable: 'PORT',
      value: '3000',
      source: 'default',
    });
  });

  it('redacts secret values inside free text', () => {
    const env = { API_KEYS: 'sk_live_abcdefghijklmnop', DATABASE_URL: 'postgresql://a:pw123456@h/d' };
    const text = redactSecretsInText(
      'key sk_live_abcdefghijklmnop failed on postgresql://a:pw123456@h/d',
      env,
    );
    expect(text).toBe('key ******** failed on postgresql://a:********@h/d');
    expect(maskUrlCredentials('file:./data/app.db')).toBe('file:./data/app.db');
  });
});

describe('generated documentation', () => {
  it('docs/DEPLOYMENT.md holds the current configuration table', async () => {
    const doc = fs.readFileSync(path.join(root, 'docs/DEPLOYMENT.md'), 'utf8');
    const { formatMarkdown } = await import('@/scripts/docs/format-markdown');
    expect(
      await formatMarkdown(replaceConfigTable(doc), 'docs/DEPLOYMENT.md'),
      'run `npm run docs:config`',
    ).toBe(doc);
  });

  it('.env.example is current and lists every variable with a comment', () => {
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    expect(example, 'run `npm run docs:config`').toBe(renderEnvExample());
    for (const s of listSettings()) {
      expect(example).toMatch(new RegExp(`^# ${s.variable}=`, 'm'));
      expect(s.description, `${s.variable} needs a description`).not.toBe('');
    }
  });
});

describe('npm run config:check', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/config-check.ts', '--env-file', '/dev/null'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });

  it('prints masked settings and exits 0 on a good environment', () => {
    const r = run({
      ENVIRONMENT: 'production',
      APP_URL: 'https://svg.example.com',
      DATABASE_URL: 'postgresql://app:s3cr3tpass@db/svgai',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Configuration OK (ENVIRONMENT=production');
    expect(r.stdout).toContain('postgresql://app:********@db/svgai');
    expect(r.stdout).not.toContain('s3cr3tpass');
  });

  it('exits 1 naming the variable and rule on a bad environment', () => {
    const r = run({ PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Invalid configuration:\n\s+PORT: .*number/);
  });
});
