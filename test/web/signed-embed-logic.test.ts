import { expect, test } from 'vitest';
import { readJwtClaims, refreshDelayMs } from '../../web/chat/jwt.js';
import { RoomPolicy } from '../../web/chat/room-policy.js';

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: object) => `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}.c2lnbmF0dXJl`;

test('the payload of a JWT is read for sub and exp, UTF-8 and base64url included; anything else gives {}', () => {
  // "?>?" encodes to base64 with "/" and "+", so base64url has "_" and "-" there.
  const claims = { sub: 'user-7', name: 'Zoë ?>?~~', exp: 1_900_000_000, role: 'moderator' };
  expect(segment(claims)).toMatch(/[-_]/);
  expect(readJwtClaims(token(claims))).toEqual({ sub: 'user-7', exp: 1_900_000_000 });
  expect(readJwtClaims(token({ sub: 42, exp: '1900000000' }))).toEqual({});
  for (const bad of ['', 'abc', 'a.!!!.c', `x.${Buffer.from('[1]').toString('base64url')}.y`, 'a..b']) {
    expect(readJwtClaims(bad)).toEqual({});
  }
});

test('a fresh token is fetched a tenth of the time left before exp, at least 5 s and at most 60 s before', () => {
  const now = 1_000_000_000_000;
  const exp = (inMs: number) => (now + inMs) / 1000;
  expect(refreshDelayMs(exp(10 * 60_000), now)).toBe(9 * 60_000); // 10 min left: a minute before
  expect(refreshDelayMs(exp(24 * 3_600_000), now)).toBe(24 * 3_600_000 - 60_000);
  expect(refreshDelayMs(exp(20_000), now)).toBe(15_000);
  expect(refreshDelayMs(exp(3_000), now)).toBe(0);
  expect(refreshDelayMs(exp(-5_000), now)).toBe(0);
});

test('lock-room allows exactly its room and nothing else', () => {
  const policy = new RoomPolicy({ lock: true, room: 'support', rooms: 'a,b' });
  expect(policy.locked).toBe(true);
  expect(policy.allows('support')).toBe(true);
  expect(policy.allows('lobby')).toBe(false);
  expect(policy.allows('a')).toBe(false);
  expect(policy.fallback('lobby')).toBe('support');
  // Without a room there is nothing to lock to.
  expect(new RoomPolicy({ lock: true, room: '', rooms: '' }).locked).toBe(false);
});

test('a rooms list limits joins and offers every listed room not joined yet, busy or not', () => {
  const policy = new RoomPolicy({ lock: false, room: '', rooms: ' #help, news ,help,' });
  expect(policy.allowed).toEqual(['help', 'news']);
  expect(policy.freeJoin).toBe(false);
  expect(policy.allows('news')).toBe(true);
  expect(policy.allows('lobby')).toBe(false);
  expect(policy.fallback('lobby')).toBe('help');
  expect(policy.fallback('news')).toBe('news');
  const others = [
    { name: 'lobby', members: 9 },
    { name: 'news', members: 2 },
  ];
  expect(policy.offered(others, new Set(['help']))).toEqual([{ name: 'news', members: 2 }]);
  expect(policy.offered([], new Set())).toEqual([
    { name: 'help', members: 0 },
    { name: 'news', members: 0 },
  ]);
});

test('without lock-room or rooms every room is allowed and the server’s list is offered as it is', () => {
  const policy = new RoomPolicy({ lock: false, room: 'support', rooms: '' });
  expect(policy.allows('anything')).toBe(true);
  expect(policy.freeJoin).toBe(true);
  expect(
    policy.offered(
      [
        { name: 'x', members: 1 },
        { name: 'support', members: 3 },
      ],
      new Set(['support']),
    ),
  ).toEqual([{ name: 'x', members: 1 }]);
});
