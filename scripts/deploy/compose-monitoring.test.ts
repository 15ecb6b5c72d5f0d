import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config/schema';
import {
  getMetrics,
  recordBatchJob,
  recordCacheHit,
  recordCacheMiss,
  recordConversion,
  recordError,
  recordHttpRequest,
  recordInference,
} from '@/lib/metrics';

const root = path.resolve(import.meta.dirname, '../..');
const docker = path.join(root, 'docker');

function tool(name: string, aptPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (!found)
    throw new Error(`${name} is not installed: apt-get install -y ${aptPackage} (CI installs it in .ci/run)`);
  return found;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}, cwd = docker) {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env } as unknown as NodeJS.ProcessEnv,
  });
}

describe('docker compose files', () => {
  const compose = () => tool('docker-compose', 'docker-compose');

  it('docker-compose.yml validates, and refuses to render without POSTGRES_PASSWORD or APP_URL', () => {
    const required = {
      POSTGRES_PASSWORD: 'x',
      APP_URL: 'https://svg.example.com',
      METRICS_TOKEN: 't'.repeat(24),
    };
    const ok = run(compose(), ['-f', 'docker-compose.yml', 'config', '-q'], required);
    expect(ok.stderr + ok.stdout).toBe('');
    expect(ok.status).toBe(0);
    const missing = run(compose(), ['-f', 'docker-compose.yml', 'config', '-q'], {
      APP_URL: required.APP_URL,
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set POSTGRES_PASSWORD');
    const noUrl = run(compose(), ['-f', 'docker-compose.yml', 'config', '-q'], {
      POSTGRES_PASSWORD: 'x',
      METRICS_TOKEN: required.METRICS_TOKEN,
    });
    expect(noUrl.status).not.toBe(0);
    expect(noUrl.stderr).toContain('set APP_URL');
    // The workers' metrics listener (their health check) needs the token.
    const noToken = run(compose(), ['-f', 'docker-compose.yml', 'config', '-q'], {
      POSTGRES_PASSWORD: 'x',
      APP_URL: required.APP_URL,
    });
    expect(noToken.status).not.toBe(0);
    expect(noToken.stderr).toContain('set METRICS_TOKEN');
  });

  it('the worker service: the app image with the worker command, scalable, health-checked, drained before SIGKILL', () => {
    const env = {
      POSTGRES_PASSWORD: 'pw',
      APP_URL: 'https://svg.example.com',
      METRICS_TOKEN: 'm'.repeat(32),
    };
    const rendered = run(compose(), ['-f', 'docker-compose.yml', 'config'], env);
    expect(rendered.status, rendered.stderr).toBe(0);
    const c = parse(rendered.stdout);
    const { app, worker } = c.services;
    expect(worker.image).toBe(app.image);
    expect(worker.command).toEqual(['worker']);
    // `--scale worker=N` needs no fixed name and no published port.
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.environment.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
    expect(worker.depends_on.redis.condition).toBe('service_healthy');
    expect(worker.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(worker.read_only).toBe(true);
    // Same data volume as the app: results written by a worker are read by the app.
    expect(
      worker.volumes.map((v: { source?: string } | string) => (typeof v === 'string' ? v : v.source)),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/appdata/)]));
    const port = Number(worker.environment.METRICS_PORT);
    expect(worker.healthcheck.test.join(' ')).toContain(`127.0.0.1:${port}/metrics`);
    // Docker sends SIGKILL after stop_grace_period: longer than the worker's own drain timeout.
    const grace = Number(/^(\d+)s$/.exec(worker.stop_grace_period)?.[1]);
    expect(grace).toBeGreaterThan(Number(worker.environment.SHUTDOWN_TIMEOUT_MS) / 1000 + 5);
    // The entry point knows the command, and the worker's settings form a valid configuration.
    const entry = fs.readFileSync(path.join(docker, 'entrypoint.sh'), 'utf8');
    expect(entry).toMatch(/^\s*worker\)\s*$/m);
    const config = loadConfig(
      Object.fromEntries(Object.entries(worker.environment).map(([k, v]) => [k, String(v)])),
    );
    expect(config.metrics.port).toBe(port);
    expect(config.server.shutdownTimeoutMs).toBe(45_000);
    // Prometheus finds every scaled worker through Docker's DNS.
    const prom = parse(fs.readFileSync(path.join(docker, 'prometheus/prometheus.yml'), 'utf8'));
    const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === 'svgai-worker');
    expect(job.dns_sd_configs[0]).toMatchObject({ names: ['worker'], port });
  });

  it('docker-compose.dev.yml validates', () => {
    const r = run(compose(), ['-f', 'docker-compose.dev.yml', 'config', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the app starts after migrations, health-gated, read-only, with named volumes and append-only Redis', () => {
    const c = parse(fs.readFileSync(path.join(docker, 'docker-compose.yml'), 'utf8'));
    const app = c.services.app;
    expect(app.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(app.depends_on.postgres.condition).toBe('service_healthy');
    expect(app.depends_on.redis.condition).toBe('service_healthy');
    expect(c.services.migrate.command).toEqual(['migrate']);
    expect(c.services.nginx.depends_on.app.condition).toBe('service_healthy');
    expect(app.read_only).toBe(true);
    expect(app.healthcheck.test.join(' ')).toContain('/api/health/ready');
    expect(c.services.redis.command.join(' ')).toContain('--appendonly yes');
    for (const name of ['postgres', 'redis', 'app', 'nginx'])
      expect(c.services[name].healthcheck, name).toBeDefined();
    for (const v of ['pgdata', 'redisdata', 'appdata']) expect(Object.keys(c.volumes)).toContain(v);
  });

  it('nginx accepts the largest upload the app accepts, and the Dockerfile health check uses liveness', () => {
    const nginx = fs.readFileSync(path.join(docker, 'nginx/nginx.conf'), 'utf8');
    const mb = Number(/client_max_body_size (\d+)m;/.exec(nginx)?.[1]);
    expect(mb * 1024 * 1024).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    expect(nginx).toMatch(/ssl_certificate /);
    expect(nginx).toMatch(/gzip on;/);
    expect(nginx).toMatch(/proxy_read_timeout \d+s;/);
    const dockerfile = fs.readFileSync(path.join(docker, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/api\/health\/live/);
    expect(dockerfile).toMatch(/^USER svgai/m);
    expect(dockerfile).toMatch(/FROM node:\$\{NODE_VERSION\}-bookworm-slim AS runtime/);
  });
});

describe('Prometheus and Grafana', () => {
  const promtool = () => tool('promtool', 'prometheus');
  const prom = path.join(docker, 'prometheus');

  it('scrape config and alert rules pass promtool, and the alert unit tests pass', () => {
    // promtool checks that the token file exists: a copy points at a real one instead of the container's secret
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-prom-'));
    try {
      const token = path.join(tmp, 'metrics_token');
      fs.writeFileSync(token, 'a-metrics-token-of-test');
      for (const f of ['prometheus.yml', 'alerts.yml', 'alerts.test.yml']) {
        const text = fs.readFileSync(path.join(prom, f), 'utf8');
        fs.writeFileSync(path.join(tmp, f), text.replaceAll('/run/secrets/metrics_token', token));
      }
      for (const args of [
        ['check', 'config', 'prometheus.yml'],
        ['check', 'rules', 'alerts.yml'],
        ['test', 'rules', 'alerts.test.yml'],
      ]) {
        const r = run(promtool(), args, {}, tmp);
        expect(r.status, `promtool ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('Prometheus sends the metrics token on every scrape of the app and the workers, from a compose secret', () => {
    // outside development /api/metrics answers 401 without it: a config without the token scrapes nothing
    const config = parse(fs.readFileSync(path.join(prom, 'prometheus.yml'), 'utf8'));
    for (const name of ['svgai', 'svgai-worker']) {
      const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
      expect(job.authorization, name).toEqual({ credentials_file: '/run/secrets/metrics_token' });
    }
    const compose = parse(fs.readFileSync(path.join(docker, 'docker-compose.yml'), 'utf8'));
    expect(compose.services.prometheus.secrets).toEqual(['metrics_token']);
    expect(compose.secrets.metrics_token.file).toMatch(/METRICS_TOKEN_FILE/);
  });

  it('every dashboard query is valid PromQL and every metric it or an alert uses is one the app exports', async () => {
    const dash = JSON.parse(
      fs.readFileSync(path.join(docker, 'grafana/dashboards/svgai-overview.json'), 'utf8'),
    );
    const exprs: string[] = dash.panels.flatMap((p: { targets: { expr: string }[] }) =>
      p.targets.map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(10);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-dash-'));
    const rules = {
      groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:q${i}`, expr })) }],
    };
    fs.writeFileSync(path.join(tmp, 'rules.yml'), JSON.stringify(rules));
    const r = run(promtool(), ['check', 'rules', 'rules.yml'], {}, tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(r.status, r.stdout + r.stderr).toBe(0);

    // Exercise every recorder so each family (and histogram suffix) is present in the exposition.
    recordHttpRequest('/x', 'GET', 200, 1);
    recordConversion('simple', 1, 0.99, 1);
    recordCacheHit('memory');
    recordCacheMiss('memory');
    recordInference('classifier', 1);
    recordError('internal');
    recordBatchJob('done');
    const exported = new Set<string>();
    for (const line of (await getMetrics().registry.metrics()).split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)/.exec(line);
      if (m && !line.startsWith('#')) exported.add(m[1]);
    }
    const alerts = fs.readFileSync(path.join(prom, 'alerts.yml'), 'utf8');
    const used = new Set(
      [...[...exprs, alerts].join('\n').matchAll(/\b((?:svgai|nodejs|process)_[a-z0-9_]+)\b/g)].map(
        (m) => m[1],
      ),
    );
    const missing = [...used].filter((n) => !exported.has(n));
    expect(missing).toEqual([]);
  });
});
