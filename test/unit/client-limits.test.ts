import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { addressGroup, clientAddress } from '../../server/lib/client-address.js';
import { TokenBucket } from '../../server/lib/packet-budget.js';

const req = (peer: string, xff?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  }) as IncomingMessage;

describe('clientAddress', () => {
  test('is the TCP peer unless proxies are trusted', () => {
    expect(clientAddress(req('10.0.0.9', '1.2.3.4'), 0)).toBe('10.0.0.9');
  });
  test('behind N proxies it is the N-th address from the right of X-Forwarded-For + peer', () => {
    expect(clientAddress(req('10.0.0.9', 'spoofed, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(req('10.0.0.9', 'spoofed, 1.2.3.4, 10.0.0.8'), 2)).toBe('1.2.3.4');
    expect(clientAddress(req('10.0.0.9', '1.2.3.4'), 3)).toBe('1.2.3.4'); // shorter than the chain: its leftmost
    expect(clientAddress(req('10.0.0.9'), 1)).toBe('10.0.0.9'); // no header: the peer
  });
});

describe('addressGroup', () => {
  test('an IPv4 address is its own group, an IPv4-mapped one too', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
  test('IPv6 addresses are grouped by their /64, however they are written', () => {
    expect(addressGroup('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:0DB8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('TokenBucket', () => {
  test('allows a burst, then refills at its rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(10_000)).toBe(true); // refills up to the burst only
    expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([true, true, false]);
  });
});
