/**
 * The one Redis client factory: one ioredis connection per URL and thread (on globalThis, so hot reload and
 * duplicate bundles share it), one set of timeouts, a circuit breaker, and one health state that the health
 * check and the metrics report. The result cache, the rate limits and the health check all go through it.
 */
import { Redis, ReplyError } from 'ioredis';

/** Time to establish the connection (TCP, TLS, ready check) before the attempt counts as failed. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** A command unanswered this long fails: Redis answers in microseconds, so a stall is an outage. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Longest pause between reconnect attempts (they start at 200 ms and never stop). */
const REDIS_MAX_RECONNECT_DELAY_MS = 2_000;
/**
 * After a failure the breaker opens: for this long nothing waits on Redis (calls fail at once), then one call
 * tries again. Each failure in a row doubles the pause, up to BREAKER_MAX_OPEN_MS. Without it a Redis that
 * accepts connections but never answers made every request wait for a timeout.
 */
const BREAKER_BASE_OPEN_MS = 1_000;
const BREAKER_MAX_OPEN_MS = 30_000;

type BreakerState = 'closed' | 'open' | 'half-open';

type RedisHealth = {
  /** ioredis's connection state: wait (never used), connecting, connect, ready, reconnecting, end... */
  status: string;
  ready: boolean;
  lastError?: string;
  lastErrorAt?: string;
  lastReadyAt?: string;
  /** closed: in use; open: failing fast until `retryAt`; half-open: one trial call may go through. */
  breaker: BreakerState;
  consecutiveFailures: number;
  retryAt?: string;
};

type SharedRedis = {
  readonly client: Redis;
  /**
   * The client once it is connected. Fails fast instead of queueing: while Redis is known to be down (waiting
   * to reconnect) it rejects at once with the last error; during a connection attempt it waits for that attempt
   * only, at most REDIS_CONNECT_TIMEOUT_MS.
   */
  ready(): Promise<Redis>;
  /**
   * Runs one or more commands through the breaker: refused at once while it is open, and a connection failure
   * or timeout opens it (a Redis error reply, e.g. WRONGTYPE, does not: Redis answered).
   */
  run<T>(commands: (client: Redis) => Promise<T>): Promise<T>;
  health(): RedisHealth;
};

export class RedisUnavailableError extends Error {
  constructor(detail: string) {
    super(`Redis unavailable: ${detail}`);
    this.name = 'RedisUnavailableError';
  }
}

const KEY = Symbol.for('svgai.redis');
type Holder = { [KEY]?: Map<string, SharedRedis> };

function clients(): Map<string, SharedRedis> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** Connection strings may carry a password (redis://:secret@host): never put one in a message. */
function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message.replace(/\/\/[^@/\s]*@/g, '//***@').slice(0, 300);
}

function createSharedRedis(url: string): SharedRedis {
  const client = new Redis(url, {
    // Nothing connects at import; the first user connects.
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Fail fast: no offline queue (a command sent while disconnected fails at once) and no retry of a command
    // whose connection dropped. A dead Redis then costs a cache miss or an unlimited request, never a wait.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Keep reconnecting in the background, so Redis coming back is noticed without anyone asking.
    retryStrategy: (attempt) => Math.min(attempt * 200, REDIS_MAX_RECONNECT_DELAY_MS),
  });
  const state: Pick<RedisHealth, 'lastError' | 'lastErrorAt' | 'lastReadyAt'> = {};
  const breaker = { failures: 0, openUntil: 0, probing: false };
  // The listener also keeps ioredis from printing every failed reconnect as an unhandled error event.
  client.on('error', (err) => {
    state.lastError = describeError(err);
    state.lastErrorAt = new Date().toISOString();
  });
  client.on('ready', () => {
    state.lastReadyAt = new Date().toISOString();
    breaker.failures = 0;
    breaker.openUntil = 0;
  });

  function breakerState(now = Date.now()): BreakerState {
    if (breaker.failures === 0) return 'closed';
    return now < breaker.openUntil ? 'open' : 'half-open';
  }

  function trip(err: unknown): void {
    breaker.failures++;
    const pause = Math.min(BREAKER_BASE_OPEN_MS * 2 ** (breaker.failures - 1), BREAKER_MAX_OPEN_MS);
    breaker.openUntil = Date.now() + pause;
    if (!(err instanceof RedisUnavailableError)) {
      state.lastError = describeError(err);
      state.lastErrorAt = new Date().toISOString();
    }
  }

  function refuseWhileOpen(): void {
    const current = breakerState();
    if (current === 'open' || (current === 'half-open' && breaker.probing)) {
      throw new RedisUnavailableError(
        `circuit open after ${breaker.failures} failure(s)${state.lastError ? ` (${state.lastError})` : ''}`,
      );
    }
  }

  async function connected(): Promise<Redis> {
    switch (client.status) {
      case 'ready':
        return client;
      case 'wait':
      case 'end':
        // connect() settles with this attempt: resolved once ready, rejected when the connection closes.
        await client.connect().catch((err: unknown) => {
          throw new RedisUnavailableError(state.lastError ?? describeError(err));
        });
        return client;
      case 'connecting':
      case 'connect':
        return waitForAttempt();
      default:
        // reconnecting (between attempts) or closing: known to be down right now.
        throw new RedisUnavailableError(state.lastError ?? client.status);
    }
  }

  function waitForAttempt(): Promise<Redis> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('close', onClose);
      };
      const onReady = () => (done(), resolve(client));
      const onClose = () => (
        done(),
        reject(new RedisUnavailableError(state.lastError ?? 'connection closed'))
      );
      const timer = setTimeout(() => {
        done();
        reject(new RedisUnavailableError(`no connection within ${REDIS_CONNECT_TIMEOUT_MS} ms`));
      }, REDIS_CONNECT_TIMEOUT_MS);
      timer.unref?.();
      client.once('ready', onReady);
      client.once('close', onClose);
    });
  }

  return {
    client,
    async ready() {
      refuseWhileOpen();
      try {
        return await connected();
      } catch (err) {
        trip(err);
        throw err;
      }
    },
    async run(commands) {
      refuseWhileOpen();
      // Half-open: this call is the one trial; the others keep failing fast until it has answered.
      const trial = breakerState() === 'half-open';
      if (trial) breaker.probing = true;
      try {
        const result = await commands(await connected());
        breaker.failures = 0;
        breaker.openUntil = 0;
        return result;
      } catch (err) {
        if (!(err instanceof ReplyError)) trip(err);
        throw err;
      } finally {
        if (trial) breaker.probing = false;
      }
    },
    health() {
      const current = breakerState();
      return {
        status: client.status,
        ready: client.status === 'ready' && current === 'closed',
        ...state,
        breaker: current,
        consecutiveFailures: breaker.failures,
        ...(current === 'open' ? { retryAt: new Date(breaker.openUntil).toISOString() } : {}),
      };
    },
  };
}

/** The shared connection to `url` (created on first use; the same object for every caller in this thread). */
export function getRedis(url: string): SharedRedis {
  const all = clients();
  let shared = all.get(url);
  if (!shared) {
    shared = createSharedRedis(url);
    all.set(url, shared);
  }
  return shared;
}

/** Closes every shared connection (at shutdown, and in tests); the next getRedis() opens a fresh one. */
export async function closeRedisClients(): Promise<void> {
  const all = clients();
  const open = [...all.values()];
  all.clear();
  await Promise.all(open.map(({ client }) => closeClient(client)));
}

/** QUIT when connected (pending replies arrive first), else drop the socket; settles once the client has ended. */
function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.disconnect();
      resolve();
    }, REDIS_COMMAND_TIMEOUT_MS);
    timer.unref?.();
    client.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    if (client.status === 'ready') client.quit().catch(() => client.disconnect());
    else client.disconnect();
  });
}
