import { describe, expect, test } from 'vitest';
import { chatAs, connectChat, nextEvent, useFreshServer } from '../helpers.js';
import type { Presence } from '../../server/protocol/events.js';

const server = useFreshServer();

describe.each(['websocket', 'polling'] as const)('nick:register over %s', (transport) => {
  test('registers a nick and returns it with a session token', async () => {
    const ana = await connectChat(server.url, transport);
    const res = await ana.emitWithAck('nick:register', '  Ana  ');
    expect(res).toMatchObject({ ok: true, nick: 'Ana' });
    expect(res.ok && res.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  test('a nick is taken regardless of case or Unicode form', async () => {
    const ana = await connectChat(server.url, transport);
    const bea = await connectChat(server.url, transport);
    expect(await ana.emitWithAck('nick:register', 'Zoë')).toMatchObject({ ok: true, nick: 'Zoë' });
    expect(await bea.emitWithAck('nick:register', 'ZOE\u0308')).toMatchObject({
      ok: false,
      error: { code: 'NICK_TAKEN' },
    });
    expect(await bea.emitWithAck('nick:register', 'zoë')).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
  });
});

test('a look-alike of a taken nick is taken (Cyrillic а for Latin a)', async () => {
  await chatAs(server.url, 'paypal');
  const mallory = await connectChat(server.url);
  expect(await mallory.emitWithAck('nick:register', 'p\u0430yp\u0430l')).toMatchObject({
    ok: false,
    error: { code: 'NICK_TAKEN' },
  });
});

test('registering your own nick again is ok', async () => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('nick:register', 'ana')).toMatchObject({ ok: true, nick: 'ana' });
});

test.each([
  ['empty after trim', '   '],
  ['33 characters', 'x'.repeat(33)],
  ['a control character', 'ana\u0007'],
  ['a zero-width space', 'a\u200Bna'],
  ['a right-to-left override', 'ana\u202E'],
  ['a Hangul filler (invisible)', '\u3164'],
])('NICK_INVALID for %s', async (_label, nick) => {
  const ana = await connectChat(server.url);
  expect(await ana.emitWithAck('nick:register', nick)).toMatchObject({ ok: false, error: { code: 'NICK_INVALID' } });
});

test('32 characters are fine, counted as code points (emoji count once)', async () => {
  const ana = await connectChat(server.url);
  const nick = '😀'.repeat(32);
  expect(await ana.emitWithAck('nick:register', nick)).toMatchObject({ ok: true, nick });
});

test.each([
  ['Japanese', 'さくら'],
  ['Chinese', '小明'],
  ['Russian', 'Наташа'],
])('%s nicks work', async (_label, nick) => {
  const socket = await connectChat(server.url);
  expect(await socket.emitWithAck('nick:register', nick)).toMatchObject({ ok: true, nick });
});

test('a new nick frees the old one and is announced as a rename in every room', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  const cid = await chatAs(server.url, 'cid');
  await ana.emitWithAck('room:join', 'one');
  await ana.emitWithAck('room:join', 'two');
  await bea.emitWithAck('room:join', 'one');
  await cid.emitWithAck('room:join', 'two');
  const seenByBea = nextEvent<Presence>(bea, 'presence');
  const seenByCid = nextEvent<Presence>(cid, 'presence');
  expect(await ana.emitWithAck('nick:register', 'anna')).toMatchObject({ ok: true, nick: 'anna' });
  expect(await seenByBea).toEqual({ room: 'one', renamed: { from: 'ana', to: 'anna' }, count: 2 });
  expect(await seenByCid).toEqual({ room: 'two', renamed: { from: 'ana', to: 'anna' }, count: 2 });
  expect(await bea.emitWithAck('room:members', 'one')).toEqual({ ok: true, room: 'one', members: ['anna', 'bea'] });
  const dan = await connectChat(server.url);
  expect(await dan.emitWithAck('nick:register', 'ana')).toMatchObject({ ok: true, nick: 'ana' });
});

test('a nick is freed when its owner disconnects cleanly', async () => {
  const ana = await chatAs(server.url, 'ana');
  ana.disconnect();
  const other = await connectChat(server.url);
  await expect.poll(async () => (await other.emitWithAck('nick:register', 'ana')).ok).toBe(true);
});

test('re-registering a case variant of your own nick is a rename, never NICK_TAKEN', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'one');
  await bea.emitWithAck('room:join', 'one');
  const seen = nextEvent<Presence>(bea, 'presence');
  expect(await ana.emitWithAck('nick:register', 'Ana')).toMatchObject({ ok: true, nick: 'Ana' });
  expect(await seen).toEqual({ room: 'one', renamed: { from: 'ana', to: 'Ana' }, count: 2 });
  expect(await ana.emitWithAck('nick:register', 'Ana')).toMatchObject({ ok: true, nick: 'Ana' }); // same: no-op
  expect(await bea.emitWithAck('room:members', 'one')).toEqual({ ok: true, room: 'one', members: ['Ana', 'bea'] });
});
