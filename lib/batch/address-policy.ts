/**
 * Which network addresses a webhook may reach: public unicast only, unless the operator allows private ones.
 * Every address a name resolves to is checked, and the connection goes to the checked address (webhook.ts),
 * so a name cannot resolve to a public address for the check and a private one for the request.
 */
import { isIP } from 'node:net';

/** Why `address` is not public, or null when it is. */
export function nonPublicReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return ipv4Reason(address);
  if (family === 6) return ipv6Reason(address.toLowerCase());
  return 'not an IP address';
}

function ipv4Reason(address: string): string | null {
  const [a, b] = address.split('.').map(Number);
  if (a === 0) return 'unspecified ("this network")';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b >= 64 && b <= 127) return 'shared (carrier-grade NAT)';
  if (a === 192 && b === 0) return 'reserved (IETF protocol assignments)';
  if (a === 198 && (b === 18 || b === 19)) return 'reserved (benchmarking)';
  if (a >= 224) return a < 240 ? 'multicast' : 'reserved';
  return null;
}

function ipv6Reason(address: string): string | null {
  if (address === '::') return 'unspecified';
  if (address === '::1') return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d, or its hex form) and NAT64 carry an IPv4 address: judge that one
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return ipv4Reason(mapped[1]);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return ipv4Reason(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(address.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'unique local (private)';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (address.startsWith('::')) return 'reserved';
  return null;
}
