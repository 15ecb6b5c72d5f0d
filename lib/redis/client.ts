/**
 * The one Redis client factory: one ioredis connection per URL and thread (on globalThis, so hot reload and
 * duplicate bundles share it), one set of timeouts, and one health state that the health check reports.
 * The result cache, the rate limits and the health check all go through it.
 */
import { Redis } from 'ioredis';

/** Time to establish the connection (TCP, TLS, ready check) before the attempt counts as failed. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** A command unanswered this long fails: Redis answers in microseconds, so a stall is an outage. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Longest pause between reconnect attempts (they start at 200 ms and never stop). */
const REDIS_MAX_RECONNECT_DELAY_MS = 2_000;

type RedisHealth = {
  /** ioredis's connection state: wait (never used), connecting, connect, ready, reconnecting, end... */
  status: string;
  ready: boolean;
  lastError?: string;
  lastErrorAt?: string;
  lastReadyAt?: string;
};

type SharedRedis = {
  readonly client: Redis;
  /**
   * The client once it is connected. Fails fast instead of queueing: while Redis is known to be down (waiting
   * to reconnect) it rejects at once with the last error; during a connection attempt it waits for that attempt
   * only, at most REDIS_CONNECT_TIMEOUT_MS.
   */
  ready(): Promise<Redis>;
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
  const state: Omit<RedisHealth, 'status' | 'ready'> = {};
  // The listener also keeps ioredis from printing every failed reconnect as an unhandled error event.
  client.on('error', (err) => {
    state.lastError = describeError(err);
    state.lastErrorAt = new Date().toISOString();
  });
  client.on('ready', () => {
    state.lastReadyAt = new Date().toISOString();
  });

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
    },
    health() {
      return { status: client.status, ready: client.status === 'ready', ...state };
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
