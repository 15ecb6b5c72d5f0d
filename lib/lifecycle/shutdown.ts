/** Graceful shutdown: on SIGTERM stop being ready, let in-flight conversions finish, close DB/Redis/pools, exit. */
import { getLogger } from '@/lib/log';
import { inFlightRequests } from '@/lib/metrics';

type CloseHook = { name: string; close: () => Promise<void> | void };
type State = {
  hooks: CloseHook[];
  busySources: Map<string, () => number>;
  shuttingDown: boolean;
  installed: boolean;
  done?: Promise<void>;
};

const KEY = Symbol.for('svgai.lifecycle');

function state(): State {
  const holder = globalThis as { [KEY]?: State };
  holder[KEY] ??= { hooks: [], busySources: new Map(), shuttingDown: false, installed: false };
  return holder[KEY];
}

/**
 * Register something to close at shutdown (database client, Redis, worker pool). Hooks run in reverse order of
 * registration, so what was opened last (and may use earlier resources) closes first. Same name replaces.
 */
export function onShutdown(name: string, close: () => Promise<void> | void): void {
  const s = state();
  s.hooks = s.hooks.filter((h) => h.name !== name);
  s.hooks.push({ name, close });
}

/** Work that must finish before exit besides HTTP requests, e.g. the worker pool's queued + running tasks. */
export function registerBusySource(name: string, count: () => number): void {
  state().busySources.set(name, count);
}

/** Readiness reports not-ready once this is true, so the load balancer stops sending traffic. */
export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

function busyCount(): number {
  let n = inFlightRequests();
  for (const count of state().busySources.values()) {
    try {
      n += count();
    } catch {
      // A broken source must not block shutdown forever; the timeout still applies.
    }
  }
  return n;
}

type ShutdownOptions = { timeoutMs: number; pollMs?: number; exit?: (code: number) => void };

export function shutdownGracefully(reason: string, options: ShutdownOptions): Promise<void> {
  const s = state();
  if (s.done) return s.done;
  s.shuttingDown = true;
  const log = getLogger();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  s.done = (async () => {
    const started = Date.now();
    log.info(
      { reason, inFlight: busyCount(), timeoutMs: options.timeoutMs },
      'shutdown: draining in-flight work',
    );
    while (busyCount() > 0 && Date.now() - started < options.timeoutMs) {
      await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
    }
    const left = busyCount();
    if (left > 0) log.warn({ inFlight: left }, 'shutdown: timeout reached with work still in flight');
    let code = left > 0 ? 1 : 0;
    for (const hook of [...s.hooks].reverse()) {
      try {
        await Promise.race([
          hook.close(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('close timed out')), 5_000)),
        ]);
        log.info({ hook: hook.name }, 'shutdown: closed');
      } catch (err) {
        code = 1;
        log.error({ hook: hook.name, err }, 'shutdown: close failed');
      }
    }
    log.info({ durationMs: Date.now() - started, code }, 'shutdown: done');
    log.flush?.();
    exit(code);
  })();
  return s.done;
}

/**
 * Take over SIGTERM/SIGINT. Next's own handler exits at once, dropping in-flight conversions, so in production
 * it is replaced (set NEXT_MANUAL_SIG_HANDLE=true to keep Next from installing it at all).
 */
export function installShutdownHandlers(options: ShutdownOptions & { replaceExisting?: boolean }): void {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (options.replaceExisting) process.removeAllListeners(signal);
    process.on(signal, () => {
      void shutdownGracefully(signal, options);
    });
  }
}
