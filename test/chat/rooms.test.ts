import { describe, expect, test } from 'vitest';
import type { Message, Presence } from '../../server/protocol/events.js';
import { chatAs, collect, connectChat, nextEvent, settle, useFreshServer } from '../helpers.js';
import { isServerNamed } from '../../server/chat/conversation-names.js';

const server = useFreshServer();

describe.each(['websocket', 'polling'] as const)('rooms over %s', (transport) => {
  test('join replies with members and history; the others get a presence diff', async () => {
    const ana = await chatAs(server.url, 'ana', transport);
    const bea = await chatAs(server.url, 'bea', transport);
    expect(await ana.emitWithAck('room:join', 'lobby')).toEqual({
      ok: true,
      room: 'lobby',
      members: ['ana'],
      history: [],
      readId: 0,
      unread: 0,
      mentions: 0,
      retentionDays: 0,
    });
    const presence = nextEvent<Presence>(ana, 'presence');
    expect(await bea.emitWithAck('room:join', 'lobby')).toEqual({
      ok: true,
      room: 'lobby',
      members: ['ana', 'bea'],
      history: [],
      readId: 0,
      unread: 0,
      mentions: 0,
      retentionDays: 0,
    });
    expect(await presence).toEqual({ room: 'lobby', joined: 'bea', count: 2 });
  });

  test('leave replies and tells the others', async () => {
    const ana = await chatAs(server.url, 'ana', transport);
    const bea = await chatAs(server.url, 'bea', transport);
    await ana.emitWithAck('room:join', 'lobby');
    await bea.emitWithAck('room:join', 'lobby');
    const presence = nextEvent<Presence>(ana, 'presence');
    expect(await bea.emitWithAck('room:leave', 'lobby')).toEqual({ ok: true, room: 'lobby' });
    expect(await presence).toEqual({ room: 'lobby', left: 'bea', count: 1 });
    expect(await bea.emitWithAck('room:leave', 'lobby')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

test('joining needs a nick', async () => {
  const anon = await connectChat(server.url);
  expect(await anon.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'NICK_REQUIRED' } });
  expect(await anon.emitWithAck('room:leave', 'lobby')).toMatchObject({ ok: false, error: { code: 'NICK_REQUIRED' } });
  expect(await anon.emitWithAck('room:history', { room: 'lobby' })).toMatchObject({
    ok: false,
    error: { code: 'NICK_REQUIRED' },
  });
});

test.each([
  ['empty', ''],
  ['65 characters', 'r'.repeat(65)],
  ['a space', 'two words'],
  ['a slash', 'a/b'],
  ['a colon (internal key syntax)', 'room:x'],
  ['an emoji', 'party🎉'],
])('ROOM_INVALID for %s', async (_label, room) => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('room:join', room)).toMatchObject({ ok: false, error: { code: 'ROOM_INVALID' } });
});

test.each([
  ['Japanese', 'ロビー'],
  ['Chinese', '大厅'],
  ['Russian', 'Комната'],
  ['Hindi with combining marks', 'हिन्दी'],
  ['64 characters', 'r'.repeat(64)],
])('%s room names are valid', async (_label, room) => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('room:join', room)).toMatchObject({ ok: true, room });
});

test("a room named like another socket's id does not reach that socket", async () => {
  // One socket id in 64 starts with `_`, a conversation's name, which no public room may have: take a victim
  // whose id is a public room's name, so that the join succeeds and shows the room is not the socket's.
  let victim = await chatAs(server.url, 'victim');
  for (let tries = 1; isServerNamed(victim.id!) && tries < 10; tries++) {
    victim.disconnect();
    victim = await chatAs(server.url, `victim${tries}`);
  }
  const mallory = await chatAs(server.url, 'mallory');
  const victimId = victim.id!;
  const received = collect<Message>(victim, 'message');
  expect(await mallory.emitWithAck('room:join', victimId)).toMatchObject({ ok: true, room: victimId });
  expect(await mallory.emitWithAck('message:send', { room: victimId, text: 'psst' })).toMatchObject({ ok: true });
  await settle(victim);
  expect(received).toEqual([]);
});

test('a socket can be in several rooms; messages go only to their room', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  const cid = await chatAs(server.url, 'cid');
  await ana.emitWithAck('room:join', 'one');
  await ana.emitWithAck('room:join', 'two');
  await bea.emitWithAck('room:join', 'one');
  await cid.emitWithAck('room:join', 'two');
  const anaGot = collect<Message>(ana, 'message');
  const beaGot = collect<Message>(bea, 'message');
  const cidGot = collect<Message>(cid, 'message');
  await bea.emitWithAck('message:send', { room: 'one', text: 'in one' });
  await cid.emitWithAck('message:send', { room: 'two', text: 'in two' });
  await Promise.all([settle(ana), settle(bea), settle(cid)]);
  expect(anaGot.map((m) => m.text).sort()).toEqual(['in one', 'in two']);
  expect(beaGot.map((m) => m.text)).toEqual(['in one']);
  expect(cidGot.map((m) => m.text)).toEqual(['in two']);
});

test('switching rooms: leave one, join another, and only the new room is heard', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'old');
  await bea.emitWithAck('room:join', 'old');
  await bea.emitWithAck('room:join', 'new');
  await ana.emitWithAck('room:leave', 'old');
  const joined = await ana.emitWithAck('room:join', 'new');
  expect(joined).toMatchObject({ ok: true, members: ['ana', 'bea'] });
  const anaGot = collect<Message>(ana, 'message');
  await bea.emitWithAck('message:send', { room: 'old', text: 'stale' });
  await bea.emitWithAck('message:send', { room: 'new', text: 'fresh' });
  await settle(ana);
  expect(anaGot.map((m) => m.text)).toEqual(['fresh']);
});

test('joining twice is harmless and announces nothing', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(ana, 'presence');
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['ana', 'bea'] });
  await settle(ana);
  expect(presence).toEqual([]);
});

test('room:members and rooms:list', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  const anon = await connectChat(server.url);
  await ana.emitWithAck('room:join', 'big');
  await bea.emitWithAck('room:join', 'big');
  await bea.emitWithAck('room:join', 'small');
  expect(await anon.emitWithAck('room:members', 'big')).toEqual({ ok: true, room: 'big', members: ['ana', 'bea'] });
  expect(await anon.emitWithAck('room:members', 'nobody-here')).toEqual({ ok: true, room: 'nobody-here', members: [] });
  expect(await anon.emitWithAck('rooms:list')).toEqual({
    ok: true,
    rooms: [
      { name: 'big', members: 2 },
      { name: 'small', members: 1 },
    ],
  });
});

test('disconnect removes the nick from its rooms and tells the others once per room', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'one');
  await ana.emitWithAck('room:join', 'two');
  await bea.emitWithAck('room:join', 'one');
  await bea.emitWithAck('room:join', 'two');
  const presence = collect<Presence>(bea, 'presence');
  ana.disconnect();
  await expect.poll(() => presence.length).toBe(2);
  expect(presence).toEqual(
    expect.arrayContaining([
      { room: 'one', left: 'ana', count: 1 },
      { room: 'two', left: 'ana', count: 1 },
    ]),
  );
  expect(await bea.emitWithAck('rooms:list')).toMatchObject({
    rooms: [
      { name: 'one', members: 1 },
      { name: 'two', members: 1 },
    ],
  });
});

test('an emptied room disappears from rooms:list', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lonely');
  await ana.emitWithAck('room:leave', 'lonely');
  expect(await ana.emitWithAck('rooms:list')).toEqual({ ok: true, rooms: [] });
});
