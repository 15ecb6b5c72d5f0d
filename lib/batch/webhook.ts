/**
 * The batch completion webhook: a JSON summary POSTed to the caller's callback URL with
 * `X-Signature: sha256=<hex HMAC-SHA256 of the body>` (key BATCH_WEBHOOK_SECRET), retried with backoff. Only
 * http(s), and only to public addresses unless BATCH_WEBHOOK_ALLOW_PRIVATE: the name is resolved here, every
 * address checked, and the connection made to a checked address (no second lookup to rebind).
 */
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { nonPublicReason } from './address-policy';

export class CallbackUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackUrlError';
  }
}

/** The URL when it is one a webhook may be sent to (scheme, no credentials, a name or address); else throws. */
export function parseCallbackUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackUrlError('callbackUrl is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CallbackUrlError('callbackUrl must be an http:// or https:// URL.');
  if (url.username || url.password) throw new CallbackUrlError('callbackUrl may not carry credentials.');
  if (raw.length > 2048) throw new CallbackUrlError('callbackUrl is longer than 2048 characters.');
  return url;
}

/**
 * Every address `url`'s host resolves to, each checked: throws CallbackUrlError naming the first that is not
 * public (unless `allowPrivate`), or when the name does not resolve.
 */
export async function resolveCallbackAddresses(
  url: URL,
  allowPrivate: boolean,
): Promise<{ address: string; family: number }[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new CallbackUrlError(`callbackUrl's host "${host.slice(0, 100)}" does not resolve.`);
    }
  }
  if (addresses.length === 0) throw new CallbackUrlError(`callbackUrl's host "${host}" has no address.`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason)
        throw new CallbackUrlError(
          `callbackUrl resolves to ${address}, a ${reason} address; webhooks go to public addresses only.`,
        );
    }
  }
  return addresses;
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

type DeliverOptions = {
  secret: string;
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Tries in all (the first plus retries), waiting 1 s, 2 s, 4 s ... between them. */
  attempts?: number;
  baseDelayMs?: number;
  /** Told after each try (for the batch's webhook state). */
  onAttempt?: (attempt: number, outcome: { ok: boolean; status?: number; error?: string }) => void;
};

/** One POST to a checked address; resolves with the status (any 2xx is a delivery). */
async function postOnce(url: URL, body: string, options: DeliverOptions): Promise<number> {
  const addresses = await resolveCallbackAddresses(url, options.allowPrivate);
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    const all = (opts as { all?: boolean }).all;
    if (all) (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'svgai-batch-webhook/1',
          'x-signature': signBody(body, options.secret),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs `payload` until a 2xx answers or the tries run out; true when delivered. Redirects are not followed. */
export async function deliverWebhook(
  callbackUrl: string,
  payload: unknown,
  options: DeliverOptions,
): Promise<boolean> {
  const url = parseCallbackUrl(callbackUrl);
  const body = JSON.stringify(payload);
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await postOnce(url, body, options);
      const ok = status >= 200 && status < 300;
      options.onAttempt?.(attempt, { ok, status });
      if (ok) return true;
      // a client error other than 408/429 will not change on retry
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
    } catch (error) {
      options.onAttempt?.(attempt, { ok: false, error: (error as Error).message });
      if (error instanceof CallbackUrlError) return false;
    }
    if (attempt < attempts)
      await new Promise((r) => setTimeout(r, (options.baseDelayMs ?? 1000) * 2 ** (attempt - 1)));
  }
  return false;
}
