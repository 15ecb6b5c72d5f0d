/**
 * Lets @upstash/ratelimit run its Lua scripts on a plain Redis server through ioredis, so limits are shared by
 * every instance that points at the same REDIS_URL. Only the commands the limiter calls are implemented.
 */
import { createHash } from 'node:crypto';
import type { Redis as IoRedis } from 'ioredis';
import type { Redis as UpstashRedis } from '@upstash/redis';

type Arg = string | number | null | undefined;

const toArgs = (values: Arg[]) => values.map((v) => (v === null || v === undefined ? '' : String(v)));
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * The limiter's scripts start with `#!lua flags=allow-key-locking`, a flag only newer Redis/Valkey accept
 * (Redis 7.0 refuses the script). It is a locking hint, not semantics, so the shebang line is dropped.
 */
function portableScript(script: string): string {
  return script.replace(/^\s*#!lua[^\n]*\n/, '');
}

/** `run` executes commands on the shared client (lib/redis), or rejects at once while its breaker is open. */
export function createIoredisAdapter(
  run: <T>(commands: (client: IoRedis) => Promise<T>) => Promise<T>,
): UpstashRedis {
  // The limiter calls EVALSHA with the hash of its original script; map it to the hash of the portable one.
  const portableSha = new Map<string, string>();

  const evalScript = async (script: string, keys: string[], args: Arg[]) => {
    const portable = portableScript(script);
    const result = await run((c) => c.eval(portable, keys.length, ...keys, ...toArgs(args)));
    portableSha.set(sha1(script), sha1(portable));
    return result;
  };

  const adapter = {
    evalsha: (sha: string, keys: string[], args: Arg[]) =>
      run((c) => c.evalsha(portableSha.get(sha) ?? sha, keys.length, ...keys, ...toArgs(args))),
    eval: evalScript,
    get: (key: string) => run((c) => c.get(key)),
    set: (key: string, value: Arg, opts?: { px?: number; ex?: number }) =>
      run((client) => {
        if (opts?.px) return client.set(key, String(value), 'PX', opts.px);
        if (opts?.ex) return client.set(key, String(value), 'EX', opts.ex);
        return client.set(key, String(value));
      }),
    del: (...keys: string[]) => run((c) => c.del(...keys)),
    hset: (key: string, fields: Record<string, Arg>) =>
      run((c) => c.hset(key, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])))),
  };
  // The limiter's type asks for the full Upstash client; at run time it only calls the methods above.
  return adapter as unknown as UpstashRedis;
}
