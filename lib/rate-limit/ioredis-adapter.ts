/**
 * Lets @upstash/ratelimit run its Lua scripts on a plain Redis server through ioredis, so limits are shared by
 * every instance that points at the same REDIS_URL. Only the commands the limiter calls are implemented.
 */
import type { Redis as IoRedis } from 'ioredis';
import type { Redis as UpstashRedis } from '@upstash/redis';

type Arg = string | number | null | undefined;

const toArgs = (values: Arg[]) => values.map((v) => (v === null || v === undefined ? '' : String(v)));

export function createIoredisAdapter(client: IoRedis): UpstashRedis {
  const adapter = {
    evalsha: (sha: string, keys: string[], args: Arg[]) => client.evalsha(sha, keys.length, ...keys, ...toArgs(args)),
    eval: (script: string, keys: string[], args: Arg[]) => client.eval(script, keys.length, ...keys, ...toArgs(args)),
    scriptLoad: (script: string) => client.script('LOAD', script) as Promise<string>,
    get: (key: string) => client.get(key),
    set: (key: string, value: Arg, opts?: { px?: number; ex?: number }) => {
      if (opts?.px) return client.set(key, String(value), 'PX', opts.px);
      if (opts?.ex) return client.set(key, String(value), 'EX', opts.ex);
      return client.set(key, String(value));
    },
    del: (...keys: string[]) => client.del(...keys),
    hset: (key: string, fields: Record<string, Arg>) =>
      client.hset(key, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))),
  };
  // The limiter's type asks for the full Upstash client; at runtime it only calls the methods above.
  return adapter as unknown as UpstashRedis;
}
