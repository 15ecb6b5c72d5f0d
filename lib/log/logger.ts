/** Structured logging: pino JSON lines in production, pretty in development; secrets redacted before writing. */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { getConfig } from '@/lib/config';
import { isSecretVariable, maskUrlCredentials } from '@/lib/config/mask';

export type { Logger } from 'pino';

const CENSOR = '********';

/** Keys that carry credentials wherever they appear in a logged object (one or two levels deep). */
const SECRET_KEYS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'x-api-key',
  'accessToken',
  'refreshToken',
  'databaseUrl',
  'upstashToken',
  'nextAuthSecret',
  'staticApiKeys',
];
const REDACT_PATHS = [
  ...SECRET_KEYS.map((k) => (k.includes('-') ? `["${k}"]` : k)),
  ...SECRET_KEYS.map((k) => (k.includes('-') ? `*["${k}"]` : `*.${k}`)),
  ...['authorization', 'cookie', 'x-api-key'].map((k) => `req.headers["${k}"]`),
  ...['authorization', 'cookie', 'x-api-key'].map((k) => `request.headers["${k}"]`),
];

type LogFormat = 'json' | 'pretty';
type CreateLoggerOptions = {
  level?: string;
  format?: LogFormat;
  name?: string;
  /** Where lines go (tests pass a stream); default stdout. */
  destination?: DestinationStream;
  /** Environment whose secret values are scrubbed from messages; default process.env. */
  env?: Record<string, string | undefined>;
};

/** Secret values from the environment (API keys, tokens, URL passwords), to scrub from free-text messages. */
function collectSecretValues(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (isSecretVariable(name)) {
      values.add(value);
      for (const part of value.split(',')) if (part.trim().length >= 6) values.add(part.trim());
    }
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
    if (m && m[1].length >= 4) values.add(m[1]);
  }
  // Longest first so a key list is replaced before its members.
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Control characters in a message are written escaped (\n, \u001b): a value quoted into a message (a URL, a
 * file name) can then never start a line of its own, in the pretty format too. JSON fields are escaped by pino.
 */
function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function scrub(text: string, secrets: string[]): string {
  let out = maskUrlCredentials(text);
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(CENSOR);
  return out;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secrets = collectSecretValues(options.env ?? process.env);
  const format = options.format ?? 'json';
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    hooks: {
      // Messages are free text: a secret pasted into one (a URL, an error from a driver) is scrubbed here.
      logMethod(args, method) {
        const scrubbed = args.map((a) => {
          if (typeof a === 'string') return escapeControls(scrub(a, secrets));
          if (a instanceof Error) {
            a.message = scrub(a.message, secrets);
            if (a.stack) a.stack = scrub(a.stack, secrets);
          } else if (
            a &&
            typeof a === 'object' &&
            'err' in a &&
            (a as { err: unknown }).err instanceof Error
          ) {
            const e = (a as { err: Error }).err;
            e.message = scrub(e.message, secrets);
            if (e.stack) e.stack = scrub(e.stack, secrets);
          }
          return a;
        });
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (format === 'pretty') {
    // A synchronous stream, not a transport: transports spawn workers that bundlers and hot reload break.
    const stream = pretty({
      colorize: true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      destination: options.destination as never,
    });
    return pino(opts, stream);
  }
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

const KEY = Symbol.for('svgai.logger');

/** The process logger, configured from lib/config once and kept across hot reloads. */
export function getLogger(): Logger {
  const holder = globalThis as { [KEY]?: Logger };
  if (!holder[KEY]) {
    let level = 'info';
    let format: LogFormat = 'json';
    let name = 'svgai';
    try {
      const c = getConfig();
      level = c.log.level;
      format = c.log.format;
      name = c.app.name === 'AI SVG Converter' ? 'svgai' : c.app.name;
    } catch {
      // Bad configuration is reported by boot validation; logging must still work to say so.
    }
    holder[KEY] = createLogger({ level, format, name });
  }
  return holder[KEY];
}

/** A child logger carrying request context (request id, route, ...) on every line. */
export function createRequestLogger(context: { requestId: string; route?: string; method?: string }): Logger {
  return getLogger().child(context);
}
