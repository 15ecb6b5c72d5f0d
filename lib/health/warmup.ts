/** Starts the slow parts (worker threads, ONNX models) once, so readiness turns green without a first conversion. */

const KEY = Symbol.for('svgai.health.warmup');
type State = { started: boolean; engineError?: string; modelsError?: string };

function state(): State {
  const holder = globalThis as { [KEY]?: State };
  holder[KEY] ??= { started: false };
  return holder[KEY];
}

export function getWarmupErrors(): { engine?: string; models?: string } {
  const s = state();
  return { engine: s.engineError, models: s.modelsError };
}

/** Idempotent and non-blocking: failures are kept and reported by the engine and models checks. */
export function startWarmup(): void {
  const s = state();
  if (s.started) return;
  s.started = true;
  void (async () => {
    try {
      const { getConvertPool } = await import('@/lib/worker-pool');
      getConvertPool();
    } catch (err) {
      s.engineError = err instanceof Error ? err.message : String(err);
    }
  })();
  void (async () => {
    try {
      const { loadAiModels } = await import('@/lib/ai/models');
      await loadAiModels();
    } catch (err) {
      s.modelsError = err instanceof Error ? err.message : String(err);
    }
  })();
}
