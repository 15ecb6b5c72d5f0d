/**
 * The client's network address, for rate limits and sign-in throttling, resolved the way the deployment
 * delivers it: the TCP peer (direct), the entry a configured number of trusted proxies in front of us wrote
 * into X-Forwarded-For (our nginx, an ingress), or the platform's header (Vercel).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The TCP peer of the request, written by this process itself (installPeerAddressStamp) before Next.js sees
 * the request. A client-sent copy is overwritten, so it is trustworthy wherever the stamp is installed.
 */
export const PEER_ADDRESS_HEADER = 'x-svgai-peer-address';

export type ClientAddressSettings = {
  /** TRUST_PROXY: requests arrive through reverse proxies that write X-Forwarded-For. */
  trustProxy: boolean;
  /** TRUSTED_PROXY_HOPS: how many of those proxies are ours (each appends or overwrites one entry). */
  proxyHops: number;
  /** On Vercel the platform's edge sets x-real-ip to the client's address and is the only way in. */
  vercel: boolean;
};

type HeaderSource = Headers | Record<string, unknown> | undefined | null;

function header(headers: HeaderSource, name: string): string {
  if (!headers) return '';
  if (headers instanceof Headers) return headers.get(name) ?? '';
  const v = headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join(', ') : '';
}

/** `::ffff:203.0.113.9` is an IPv4 client on a dual-stack socket: one client, one spelling. */
function normalize(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1] : a.toLowerCase();
}

/**
 * The client's address, or 'unknown' when the deployment gives none (a request built in a test, a missing
 * stamp). Behind proxies the chain is X-Forwarded-For plus the TCP peer; counting `proxyHops` entries from the
 * right skips our own proxies, and anything further left was written by the client and is never believed.
 */
export function clientAddress(headers: HeaderSource, settings: ClientAddressSettings): string {
  if (settings.vercel) {
    const real = normalize(header(headers, 'x-real-ip'));
    return isIP(real) ? real : 'unknown';
  }
  const peer = normalize(header(headers, PEER_ADDRESS_HEADER));
  if (!settings.trustProxy) return isIP(peer) ? peer : 'unknown';
  const chain = header(headers, 'x-forwarded-for')
    .split(',')
    .map(normalize)
    .filter((a) => a !== '');
  if (isIP(peer)) chain.push(peer);
  // Fewer entries than hops means fewer proxies than configured: the leftmost is then the best we know.
  const candidate = chain[Math.max(0, chain.length - 1 - settings.proxyHops)] ?? '';
  return isIP(candidate) ? candidate : 'unknown';
}

/**
 * The bucket an address counts in. An IPv6 client usually holds a whole /64 and could take a fresh address
 * per request, so IPv6 addresses count per /64; IPv4 addresses count alone.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const KEY = Symbol.for('svgai.http.peerStamp');

/**
 * Writes each request's TCP peer into PEER_ADDRESS_HEADER as Node's HTTP server receives it: the
 * `http.server.request.start` diagnostics channel fires before the server's 'request' event, so Next.js and
 * every handler see the stamped headers. Next itself only fills X-Forwarded-For when the client sent none,
 * which makes that header useless for telling direct clients apart. Idempotent.
 */
export function installPeerAddressStamp(): void {
  const holder = globalThis as { [KEY]?: boolean };
  if (holder[KEY]) return;
  holder[KEY] = true;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    const peer = request.socket?.remoteAddress;
    if (peer) request.headers[PEER_ADDRESS_HEADER] = peer;
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
}
