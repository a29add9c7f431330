import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { clientAddress } from '../../server/lib/client-address.js';
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
