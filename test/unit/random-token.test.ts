import { expect, test } from 'vitest';
import { randomToken } from '../../server/lib/random-token.js';

// Session tokens and Engine.IO ids come from a pool of random bytes: each byte is handed out once, so two tokens
// never share their bytes, across the pool's refills too.

test('tokens have the length asked for and never repeat, across many refills of the pool', () => {
  const tokens = Array.from({ length: 5000 }, () => randomToken(18)); // 90,000 bytes: 22 refills of 4 KiB
  expect(tokens.every((t) => /^[A-Za-z0-9_-]{24}$/.test(t))).toBe(true);
  expect(new Set(tokens).size).toBe(tokens.length);
  expect(randomToken(15)).toMatch(/^[A-Za-z0-9_-]{20}$/);
});

test('consecutive tokens share no bytes: none is a shifted copy of the one before', () => {
  const bytes = (t: string) => Buffer.from(t, 'base64url');
  for (let i = 0; i < 500; i++) {
    const [a, b] = [bytes(randomToken(16)), bytes(randomToken(16))];
    expect(b.subarray(0, 15).equals(a.subarray(1))).toBe(false);
    expect(a.equals(b)).toBe(false);
  }
});

test('more than the pool holds at once is refused, not served from reused bytes', () => {
  expect(() => randomToken(4097)).toThrow(RangeError);
});
