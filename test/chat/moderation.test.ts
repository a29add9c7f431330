import { expect, test } from 'vitest';
import type { Message, MessageDeleted, Notice, Presence } from '../../server/protocol/events.js';
import { nickKey } from '../../server/chat/nick-key.js';
import {
  chatAs,
  chatSigned,
  collect,
  inRoom,
  nextEvent,
  openTestBans,
  sendText,
  settle,
  useFreshServer,
} from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';

const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });

const moderator = async () => chatSigned(server.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));

test('a moderator deletes anyone’s message; the room sees message:deleted', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const mod = await inRoom(await moderator());
  const id = await sendText(bea, 'spam');
  const seen = nextEvent<MessageDeleted>(bea, 'message:deleted');
  expect(await mod.emitWithAck('message:delete', { room: 'lobby', id })).toEqual({ ok: true, id });
  expect(await seen).toEqual({ id, room: 'lobby' });
  const history = await bea.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages).toMatchObject([{ id, deleted: true, text: '' }]);
});

test('others may still delete only their own messages, and may not ban or unban', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const ana = await inRoom(await chatSigned(server.url, await signJwt({ sub: 'u-1', name: 'Ana' })));
  const cy = await inRoom(await chatAs(server.url, 'cy'));
  const id = await sendText(bea, 'mine');
  for (const other of [ana, cy]) {
    expect(await other.emitWithAck('message:delete', { room: 'lobby', id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
    expect(await other.emitWithAck('room:ban', { room: 'lobby', nick: 'bea' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
    expect(await other.emitWithAck('room:unban', { room: 'lobby', nick: 'bea' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
  }
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});

test('bad ban payloads get BAD_REQUEST, ROOM_INVALID or NICK_INVALID', async () => {
  const mod = await moderator();
  const cases: [unknown, string][] = [
    ['lobby', 'BAD_REQUEST'],
    [{ room: 'lobby' }, 'BAD_REQUEST'],
    [{ room: 'lobby', nick: 'bea', minutes: 0 }, 'BAD_REQUEST'],
    [{ room: 'lobby', nick: 'bea', minutes: -5 }, 'BAD_REQUEST'],
    [{ room: 'lobby', nick: 'bea', minutes: '10' }, 'BAD_REQUEST'],
    [{ room: 'lobby', nick: 'bea', minutes: 600_000 }, 'BAD_REQUEST'],
    [{ room: 'no room', nick: 'bea' }, 'ROOM_INVALID'],
    [{ room: 'lobby', nick: '   ' }, 'NICK_INVALID'],
  ];
  for (const [payload, code] of cases) {
    expect(await mod.emitWithAck('room:ban', payload as never), JSON.stringify(payload)).toMatchObject({
      ok: false,
      error: { code },
    });
  }
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 7 } as never)).toMatchObject({
    ok: false,
    error: { code: 'BAD_REQUEST' },
  });
});

test('a ban takes the nick out of the room (left, notice) and answers BANNED to its join and send; unban ends it', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  await inRoom(bea, 'other');
  const cy = await inRoom(await chatAs(server.url, 'cy'));
  const mod = await inRoom(await moderator());
  const cyPresence = collect<Presence>(cy, 'presence');
  const cyNotices = collect<Notice>(cy, 'notice');
  const beaNotices = collect<Notice>(bea, 'notice');

  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'BEA' })).toEqual({
    ok: true,
    room: 'lobby',
    nick: 'BEA',
    until: null,
  });
  const notice = { room: 'lobby', type: 'ban', nick: 'BEA', by: 'Mod', until: null };
  await expect.poll(() => cyNotices).toEqual([notice]);
  await expect.poll(() => beaNotices).toEqual([notice]);
  expect(cyPresence).toEqual([{ room: 'lobby', left: 'bea', count: 2 }]);
  expect(await cy.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['cy', 'Mod'] });

  const beaMessages = collect<Message>(bea, 'message');
  await sendText(cy, 'after the ban');
  expect(await bea.emitWithAck('message:send', { room: 'lobby', text: 'hi' })).toMatchObject({
    ok: false,
    error: { code: 'BANNED' },
  });
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  await sendText(bea, 'still here', 'other'); // other rooms are not affected
  await settle(bea);
  expect(beaMessages.map((m) => m.text)).toEqual(['still here']);

  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'bea' })).toEqual({
    ok: true,
    room: 'lobby',
    nick: 'bea',
  });
  await expect.poll(() => cyNotices.at(-1)).toEqual({ room: 'lobby', type: 'unban', nick: 'bea', by: 'Mod' });
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
  expect(await bea.emitWithAck('message:send', { room: 'lobby', text: 'back' })).toMatchObject({ ok: true });
});

test('a ban holds for look-alikes and for every tab of a signed user', async () => {
  const jwt = await signJwt({ sub: 'u-1', name: 'Ana' });
  const [tab1, tab2] = [
    await inRoom(await chatSigned(server.url, jwt)),
    await inRoom(await chatSigned(server.url, jwt)),
  ];
  const cy = await inRoom(await chatAs(server.url, 'cy'));
  const cyPresence = collect<Presence>(cy, 'presence');
  const mod = await moderator();
  await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'Аnа' }); // Cyrillic А and а
  await expect.poll(() => cyPresence).toEqual([{ room: 'lobby', left: 'Ana', count: 1 }]);
  for (const tab of [tab1, tab2]) {
    expect(await tab.emitWithAck('message:send', { room: 'lobby', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BANNED' },
    });
  }
});

test('a socket that was away when banned does not get the room back from connection state recovery', async () => {
  const bea = await chatAs(server.url, 'bea', 'websocket');
  bea.io.reconnection(true);
  await inRoom(bea);
  const cy = await inRoom(await chatAs(server.url, 'cy'));
  const mod = await moderator();
  const first = nextEvent<Message>(bea, 'message'); // recovery resumes from the last broadcast received
  await sendText(cy, 'before');
  await first;
  bea.io.reconnection(false);
  const id = bea.id!;
  bea.io.engine.close(); // a network drop: the session and its rooms wait for recovery
  await expect.poll(() => server.app.io.of('/chat').sockets.has(id)).toBe(false); // the server has seen it go
  await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea' });
  const back = new Promise<void>((resolve) => bea.once('connect', () => resolve()));
  bea.io.reconnection(true);
  bea.connect();
  await back;
  expect(bea.recovered).toBe(true);
  const got = collect<Message>(bea, 'message');
  await sendText(cy, 'after');
  await settle(bea);
  expect(got).toEqual([]);
  expect(await cy.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['cy'] });
});

test('a timed ban ends by itself', async () => {
  const bea = await inRoom(await chatAs(server.url, 'bea'));
  const mod = await moderator();
  const before = Date.now();
  const res = await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea', minutes: 0.02 }); // 1.2 s
  expect(res.ok && res.until! - before).toBeGreaterThanOrEqual(1200);
  expect(res.ok && res.until! - Date.now()).toBeLessThanOrEqual(1200);
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  await expect
    .poll(async () => (await bea.emitWithAck('room:join', 'lobby')).ok, { timeout: 5000, interval: 200 })
    .toBe(true);
});

test('bans are stored: they survive a restart', async () => {
  const mod = await moderator();
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'bea', minutes: 60 })).toMatchObject({ ok: true });
  await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'cy' });
  await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'cy' });
  await server.restart();
  const bea = await chatAs(server.url, 'bea');
  expect(await bea.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  const cy = await chatAs(server.url, 'cy');
  expect(await cy.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});

test('moderators are peers: one may ban another, and a banned moderator cannot lift its own ban', async () => {
  const mod = await inRoom(await moderator());
  const other = await inRoom(
    await chatSigned(server.url, await signJwt({ sub: 'mod-2', name: 'Other', role: 'moderator' })),
  );
  expect(await mod.emitWithAck('room:ban', { room: 'lobby', nick: 'Other' })).toMatchObject({ ok: true });
  expect(await other.emitWithAck('room:unban', { room: 'lobby', nick: 'other' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
  expect(await other.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  expect(await mod.emitWithAck('room:unban', { room: 'lobby', nick: 'Other' })).toMatchObject({ ok: true });
  expect(await other.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});

test('no guest may take the nick the admin API signs its notices with, or a look-alike', async () => {
  for (const nick of ['admin', 'ADMIN', 'аdmin']) {
    const guest = await chatAs(server.url, `g${nick.length}${Math.random()}`.slice(0, 12));
    expect(await guest.emitWithAck('nick:register', nick)).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
  }
});

test('a ban may give a reason: the room and the banned person see it, and it is stored with the ban', async () => {
  const cy = await inRoom(await chatAs(server.url, 'cy'));
  const mod = await inRoom(await moderator());
  const notices = collect<Notice>(cy, 'notice');
  const ban = { room: 'lobby', nick: 'cy', minutes: 10, reason: '  spam links  ' };
  expect(await mod.emitWithAck('room:ban', ban)).toMatchObject({ ok: true });
  await expect.poll(() => notices).toMatchObject([{ type: 'ban', nick: 'cy', reason: 'spam links' }]);
  const stored = await openTestBans(server.dataDir); // the database the server writes, opened again
  try {
    expect(await stored.active('lobby', nickKey('cy'), Date.now())).toMatchObject({ reason: 'spam links' });
  } finally {
    await stored.close();
  }
  const tooLong = { room: 'lobby', nick: 'cy', reason: 'x'.repeat(201) };
  expect(await mod.emitWithAck('room:ban', tooLong)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  const hidden = { room: 'lobby', nick: 'cy', reason: 'see \u202Eevil' };
  expect(await mod.emitWithAck('room:ban', hidden)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
});
