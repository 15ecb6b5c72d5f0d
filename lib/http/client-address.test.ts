// The client's address per deployment: direct (the TCP peer), behind N trusted proxies (counted from the right
// of X-Forwarded-For), on Vercel; and the stamp that writes the peer before any handler runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressBucket, clientAddress, installPeerAddressStamp, PEER_ADDRESS_HEADER } from './client-address';

const direct = { trustProxy: false, proxyHops: 1, vercel: false };
const behindOne = { trustProxy: true, proxyHops: 1, vercel: false };
const behindTwo = { trustProxy: true, proxyHops: 2, vercel: false };
const vercel = { trustProxy: true, proxyHops: 1, vercel: true };

describe('clientAddress', () => {
  it('serving directly, takes the TCP peer and ignores whatever forwarding headers the client sends', () => {
    const h = { [PEER_ADDRESS_HEADER]: '203.0.113.7', 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '5.6.7.8' };
    expect(clientAddress(h, direct)).toBe('203.0.113.7');
    expect(clientAddress(new Headers(h), direct)).toBe('203.0.113.7');
    expect(clientAddress({ [PEER_ADDRESS_HEADER]: '::ffff:203.0.113.7' }, direct)).toBe('203.0.113.7');
    // Without the stamp (a request built by hand) there is no address to believe.
    expect(clientAddress({ 'x-forwarded-for': '1.2.3.4' }, direct)).toBe('unknown');
  });

  it('behind our nginx (which overwrites X-Forwarded-For), takes the entry nginx wrote', () => {
    expect(
      clientAddress({ 'x-forwarded-for': '198.51.100.9', [PEER_ADDRESS_HEADER]: '172.18.0.5' }, behindOne),
    ).toBe('198.51.100.9');
  });

  it('behind a proxy that appends, a client-chosen leftmost entry never picks the bucket', () => {
    // The attack: the client sends X-Forwarded-For: <random>, the proxy appends the real address.
    for (const spoof of ['1.1.1.1', '8.8.8.8, 9.9.9.9', 'not-an-ip']) {
      const h = { 'x-forwarded-for': `${spoof}, 198.51.100.9`, [PEER_ADDRESS_HEADER]: '10.0.0.2' };
      expect(clientAddress(h, behindOne), spoof).toBe('198.51.100.9');
    }
    // Two proxies of ours (CDN, then ingress): two entries from the right.
    const two = { 'x-forwarded-for': '1.1.1.1, 198.51.100.9, 10.0.0.3', [PEER_ADDRESS_HEADER]: '10.0.0.2' };
    expect(clientAddress(two, behindTwo)).toBe('198.51.100.9');
  });

  it("on Vercel, takes the platform's x-real-ip", () => {
    expect(clientAddress({ 'x-real-ip': '198.51.100.4', 'x-forwarded-for': '1.1.1.1' }, vercel)).toBe(
      '198.51.100.4',
    );
    expect(clientAddress({}, vercel)).toBe('unknown');
  });

  it('counts IPv6 clients per /64, IPv4 clients alone', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('installPeerAddressStamp', () => {
  it("writes the socket's address over a client-sent copy before the server's handler runs", async () => {
    installPeerAddressStamp();
    installPeerAddressStamp(); // idempotent
    const server = http.createServer((req, res) => res.end(String(req.headers[PEER_ADDRESS_HEADER])));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: '6.6.6.6' } });
      expect(await res.text()).toBe('127.0.0.1');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
