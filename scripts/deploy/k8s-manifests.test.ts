import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Namespace, ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { loadConfig } from '@/lib/config/schema';
import { BATCH_QUEUE_NAME } from '@/lib/batch/bullmq-queue';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'docker/k8s');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
};
type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

function loadManifests(): { file: string; doc: Manifest }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => {
        if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
        return { file, doc: d.toJSON() as Manifest };
      }),
    );
}

/**
 * kubernetes-models validates types, enums and required fields but ignores unknown keys, so a typo such as
 * `readinesProbe` would pass. Every field name the Kubernetes schemas know is collected from its validators.
 */
function knownFieldNames(): Set<string> {
  const req = createRequire(import.meta.url);
  const names = new Set<string>();
  for (const pkg of ['kubernetes-models', '@kubernetes-models/apimachinery']) {
    const schemas = path.join(path.dirname(req.resolve(`${pkg}/package.json`)), '_schemas');
    for (const f of fs.readdirSync(schemas).filter((x) => x.endsWith('.js'))) {
      for (const m of fs
        .readFileSync(path.join(schemas, f), 'utf8')
        .matchAll(/parentDataProperty:"([^"]+)"/g))
        names.add(m[1]);
    }
  }
  return names;
}

/** Maps whose keys are free-form (labels, data, resource names...) are not field names. */
const FREE_FORM = new Set([
  'labels',
  'annotations',
  'data',
  'stringData',
  'matchLabels',
  'limits',
  'requests',
  'nodeSelector',
]);

function unknownFields(value: unknown, known: Set<string>, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownFields(v, known, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    // Label keys (app.kubernetes.io/name) in a Service selector are data, not fields.
    ...(known.has(k) || k.includes('/') || ['apiVersion', 'kind'].includes(k) ? [] : [`${at}.${k}`]),
    ...(FREE_FORM.has(k) ? [] : unknownFields(v, known, `${at}.${k}`)),
  ]);
}

function validate(doc: Manifest): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion}/${doc.kind}`);
  new Model(doc as never).validate();
}

const manifests = loadManifests();
/** The object of a kind: by name, else the web app's one (the workers' objects are named svgai-worker). */
const byKind = (kind: string, name?: string): unknown =>
  manifests.find(
    (m) =>
      m.doc.kind === kind && (name ? m.doc.metadata.name === name : !m.doc.metadata.name.endsWith('-worker')),
  )!.doc;

describe('Kubernetes manifests', () => {
  it('cover every required kind', () => {
    expect(manifests.map((m) => m.doc.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Deployment',
        'HorizontalPodAutoscaler',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Job',
        'Namespace',
        'PodDisruptionBudget',
        'PodDisruptionBudget',
        'Secret',
        'Service',
      ].sort(),
    );
  });

  it.each(manifests.map((m) => [`${m.file} ${m.doc.kind}/${m.doc.metadata.name}`, m.doc] as const))(
    '%s validates against the Kubernetes schema with no unknown fields',
    (_name, doc) => {
      expect(() => validate(doc)).not.toThrow();
      expect(unknownFields(doc, knownFieldNames())).toEqual([]);
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace).toBe('svgai');
    },
  );

  it('the validators catch wrong types, missing fields and typos', () => {
    const deployment = structuredClone(byKind('Deployment')) as { spec: Record<string, unknown> };
    expect(() =>
      validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } } as never),
    ).toThrow();
    expect(() =>
      validate({ ...deployment, spec: { ...deployment.spec, selector: undefined } } as never),
    ).toThrow();
    expect(unknownFields({ spec: { replica: 2 } }, knownFieldNames())).toEqual(['.spec.replica']);
  });

  it('probes hit the right endpoints and the pod runs non-root on a read-only root file system', () => {
    const d = byKind('Deployment') as unknown as {
      spec: {
        template: {
          spec: Record<string, never> & {
            containers: Record<string, never>[];
            volumes: { name: string; emptyDir?: object }[];
            terminationGracePeriodSeconds: number;
          };
        };
      };
    };
    const pod = d.spec.template.spec;
    const c = pod.containers[0] as unknown as {
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { httpGet: { path: string } };
      startupProbe: { httpGet: { path: string } };
      securityContext: {
        readOnlyRootFilesystem: boolean;
        runAsNonRoot: boolean;
        allowPrivilegeEscalation: boolean;
      };
      resources: { requests: object; limits: object };
      volumeMounts: { name: string; mountPath: string }[];
      lifecycle: { preStop: { exec: { command: string[] } } };
    };
    expect(c.livenessProbe.httpGet.path).toBe('/api/health/live');
    expect(c.startupProbe.httpGet.path).toBe('/api/health/live');
    expect(c.readinessProbe.httpGet.path).toBe('/api/health/ready');
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
    });
    expect(c.resources.requests).toHaveProperty('cpu');
    expect(c.resources.limits).toHaveProperty('memory');
    const writable = c.volumeMounts.map((m) => m.mountPath);
    expect(writable).toEqual(expect.arrayContaining(['/tmp/svgai', '/data/cache']));
    for (const m of c.volumeMounts)
      expect(pod.volumes.find((v) => v.name === m.name)?.emptyDir).toBeDefined();
    // SIGKILL must not come before preStop plus the app's own drain timeout.
    const config = byKind('ConfigMap') as unknown as { data: Record<string, string> };
    const preStop = Number(c.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + Number(config.data.SHUTDOWN_TIMEOUT_MS) / 1000,
    );
  });

  it('selectors, targets and names line up across objects', () => {
    const d = byKind('Deployment') as unknown as {
      metadata: { name: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
    };
    const labels = d.spec.template.metadata.labels;
    for (const kind of ['Service', 'PodDisruptionBudget']) {
      const o = byKind(kind) as unknown as {
        spec: { selector: Record<string, string> & { matchLabels?: Record<string, string> } };
      };
      const sel = o.spec.selector.matchLabels ?? o.spec.selector;
      for (const [k, v] of Object.entries(sel)) expect(labels[k], `${kind} selector ${k}`).toBe(v);
    }
    const hpa = byKind('HorizontalPodAutoscaler') as unknown as {
      spec: { scaleTargetRef: { kind: string; name: string } };
    };
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: d.metadata.name });
    const svc = byKind('Service') as unknown as { metadata: { name: string } };
    const ing = byKind('Ingress') as unknown as {
      spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
    };
    for (const p of ing.spec.rules[0].http.paths) expect(p.backend.service.name).toBe(svc.metadata.name);
    const kustomization = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
    for (const m of kustomization.matchAll(/^\s+- (\S+\.yaml)$/gm))
      expect(fs.existsSync(path.join(dir, m[1])), m[1]).toBe(true);
  });

  it('the ConfigMap plus the Secret template form a valid application configuration', () => {
    const config = byKind('ConfigMap') as unknown as { data: Record<string, string> };
    const secret = byKind('Secret') as unknown as { stringData: Record<string, string> };
    const c = loadConfig({ ...config.data, ...secret.stringData });
    expect(c.environment).toBe('production');
    expect(c.cache.type).toBe('redis');
    expect(c.log.format).toBe('json');
  });

  it('the workers: the same image with the worker command, own HPA and PDB, drained before SIGKILL, no Service', () => {
    type Pod = {
      terminationGracePeriodSeconds: number;
      containers: {
        image: string;
        args: string[];
        ports: { name: string; containerPort: number }[];
        env: { name: string; value: string }[];
        resources: { requests: Record<string, string>; limits: Record<string, string> };
        livenessProbe: { tcpSocket: { port: string } };
        securityContext: { readOnlyRootFilesystem: boolean };
      }[];
    };
    type Dep = {
      metadata: { name: string };
      spec: {
        strategy: { rollingUpdate: { maxUnavailable: number } };
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> }; spec: Pod };
      };
    };
    const web = byKind('Deployment') as Dep;
    const worker = byKind('Deployment', 'svgai-worker') as Dep;
    const w = worker.spec.template.spec.containers[0];
    expect(w.image).toBe(web.spec.template.spec.containers[0].image);
    expect(w.args).toEqual(['worker']);
    expect(fs.readFileSync(path.join(root, 'docker/entrypoint.sh'), 'utf8')).toMatch(/^\s*worker\)\s*$/m);
    expect(w.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(w.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(w.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(worker.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const env = Object.fromEntries(w.env.map((e) => [e.name, e.value]));
    expect(w.ports.find((p) => p.name === w.livenessProbe.tcpSocket.port)?.containerPort).toBe(
      Number(env.METRICS_PORT),
    );
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(env.SHUTDOWN_TIMEOUT_MS) / 1000 + 5,
    );
    // The worker's environment (ConfigMap + Secret + its own env) is a valid configuration.
    const config = byKind('ConfigMap', 'svgai-config') as { data: Record<string, string> };
    const secret = byKind('Secret', 'svgai-secrets') as { stringData: Record<string, string> };
    const c = loadConfig({ ...config.data, ...secret.stringData, ...env });
    expect(c.metrics.port).toBe(Number(env.METRICS_PORT));
    expect(c.server.shutdownTimeoutMs).toBe(Number(env.SHUTDOWN_TIMEOUT_MS));

    // Web and worker pods are told apart by their selectors: the Service and web PDB never pick workers.
    const labels = worker.spec.template.metadata.labels;
    const selects = (sel: Record<string, string>, l: Record<string, string>) =>
      Object.entries(sel).every(([k, v]) => l[k] === v);
    expect(selects(worker.spec.selector.matchLabels, labels)).toBe(true);
    expect(selects(worker.spec.selector.matchLabels, web.spec.template.metadata.labels)).toBe(false);
    const svc = byKind('Service') as { spec: { selector: Record<string, string> } };
    expect(selects(svc.spec.selector, labels)).toBe(false);
    const pdbs = manifests
      .filter((m) => m.doc.kind === 'PodDisruptionBudget')
      .map((m) => m.doc) as unknown as {
      metadata: { name: string };
      spec: { selector: { matchLabels: Record<string, string> } };
    }[];
    expect(
      pdbs.filter((p) => selects(p.spec.selector.matchLabels, labels)).map((p) => p.metadata.name),
    ).toEqual(['svgai-worker']);
    const hpa = byKind('HorizontalPodAutoscaler', 'svgai-worker') as {
      spec: {
        scaleTargetRef: { kind: string; name: string };
        metrics: { resource: { name: string } }[];
      };
    };
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'svgai-worker' });
    expect(hpa.spec.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
    const kustomization = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
    for (const f of ['worker-deployment.yaml', 'worker-hpa.yaml', 'worker-pdb.yaml'])
      expect(kustomization).toMatch(new RegExp(`^\\s+- ${f}$`, 'm'));
    expect(kustomization).not.toMatch(/^\s+- optional\//m);
  });

  it('the optional KEDA ScaledObject scales the workers on the BullMQ wait list', () => {
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(dir, 'optional/keda-worker-scaledobject.yaml'), 'utf8'),
    ).map((d) => d.toJSON());
    const so = docs.find((d) => d.kind === 'ScaledObject');
    const auth = docs.find((d) => d.kind === 'TriggerAuthentication');
    for (const d of [so, auth]) {
      expect(d.apiVersion).toBe('keda.sh/v1alpha1');
      expect(d.metadata.namespace).toBe('svgai');
    }
    expect(so.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'svgai-worker',
    });
    const [trigger] = so.spec.triggers;
    expect(trigger.type).toBe('redis');
    // BullMQ's wait list of our queue (lib/batch/bullmq-queue.ts), under the default "bull" prefix.
    expect(trigger.metadata.listName).toBe(`bull:${BATCH_QUEUE_NAME}:wait`);
    expect(Number(trigger.metadata.listLength)).toBeGreaterThan(0);
    expect(trigger.authenticationRef.name).toBe(auth.metadata.name);
    expect(so.spec.maxReplicaCount).toBeGreaterThan(so.spec.minReplicaCount);
    // KEDA's ScaledObject metadata is ordinary object metadata: the same schema check applies to it.
    expect(
      unknownFields(
        { metadata: so.metadata, spec: { scaleTargetRef: so.spec.scaleTargetRef } },
        knownFieldNames(),
      ),
    ).toEqual([]);
  });
});
