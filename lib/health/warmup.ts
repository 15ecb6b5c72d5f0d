/**
 * Starts the slow parts once (the composition root, lib/boot.ts, names them: worker threads, ONNX models), so
 * readiness turns green without a first conversion; a part that fails to start is remembered for its check.
 */

type WarmupPart = 'engine' | 'models';

const KEY = Symbol.for('svgai.health.warmup');
type State = { started: boolean; errors: Partial<Record<WarmupPart, string>> };

function state(): State {
  const holder = globalThis as { [KEY]?: State };
  holder[KEY] ??= { started: false, errors: {} };
  return holder[KEY];
}

/** Why each part failed to start, if it did (read by the engine and models checks). */
export function getWarmupErrors(): Partial<Record<WarmupPart, string>> {
  return { ...state().errors };
}

/** Idempotent and non-blocking: each part runs once, concurrently; failures are kept, never thrown. */
export function startWarmup(parts: Record<WarmupPart, () => unknown>): void {
  const s = state();
  if (s.started) return;
  s.started = true;
  for (const [name, start] of Object.entries(parts) as [WarmupPart, () => unknown][]) {
    void (async () => {
      try {
        await start();
      } catch (err) {
        s.errors[name] = err instanceof Error ? err.message : String(err);
      }
    })();
  }
}
