import { afterEach, expect, test } from 'vitest';
import type { Presence } from '../../server/protocol/events.js';
import {
  type ChatClient,
  type TestServer,
  chatAs,
  collect,
  connectChat,
  disconnectAll,
  settle,
  startServer,
} from '../helpers.js';

let server: TestServer;
afterEach(async () => {
  disconnectAll();
  await server.close();
});

async function register(socket: ChatClient, nick: string): Promise<string> {
  const reply = await socket.emitWithAck('nick:register', nick);
  if (!reply.ok) throw new Error(reply.error.code);
  return reply.token;
}

/**
 * Something that happens after the grace of an earlier departure: a later client leaves, and its `left` comes
 * after any `left` the earlier departure would have caused (same grace, scheduled later, same connection).
 */
async function afterTheGrace(url: string, watcher: ChatClient, presence: Presence[]): Promise<void> {
  const marker = await chatAs(url, 'marker');
  await marker.emitWithAck('room:join', 'lobby');
  await expect.poll(() => presence.some((p) => p.joined === 'marker')).toBe(true);
  marker.disconnect();
  await expect.poll(() => presence.some((p) => p.left === 'marker'), { timeout: 5000 }).toBe(true);
  await settle(watcher);
}

const withoutMarker = (presence: Presence[]) => presence.filter((p) => p.joined !== 'marker' && p.left !== 'marker');

test('a reload within the grace (clean disconnect, then the token) shows the others nothing and keeps the session', async () => {
  server = await startServer({ presenceGraceMs: 1000 });
  const page = await connectChat(server.url);
  const token = await register(page, 'ana');
  await page.emitWithAck('room:join', 'lobby');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(bea, 'presence');

  page.disconnect(); // what a page does when it goes away cleanly
  const reloaded = await connectChat(server.url, 'websocket', { auth: { token } });
  expect(await reloaded.emitWithAck('nick:register', 'ana')).toEqual({ ok: true, nick: 'ana', token });
  expect(await reloaded.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['ana', 'bea'] });

  await afterTheGrace(server.url, bea, presence);
  expect(withoutMarker(presence)).toEqual([]);
  expect(await bea.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['ana', 'bea'] });
});

test('a cut connection that recovers within the grace shows nothing and stays in the room', async () => {
  server = await startServer({ presenceGraceMs: 1000 });
  const ana = await connectChat(server.url, 'websocket', { reconnection: true, reconnectionDelay: 50 });
  await register(ana, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(bea, 'presence');

  const back = new Promise<void>((resolve) => ana.io.once('reconnect', () => resolve()));
  ana.io.engine.close(); // a network drop: no disconnect packet
  await back;
  await expect.poll(() => ana.recovered).toBe(true);

  await afterTheGrace(server.url, bea, presence);
  expect(withoutMarker(presence)).toEqual([]);
  // the recovered socket kept its id: the end of the grace must not have removed its entry
  expect(await bea.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['ana', 'bea'] });
  ana.disconnect();
  await expect.poll(() => presence.at(-1), { timeout: 5000 }).toEqual({ room: 'lobby', left: 'ana', count: 1 });
});

test.each(['clean', 'cut'] as const)(
  'a %s departure longer than the grace is announced as exactly one left',
  async (how) => {
    server = await startServer({ presenceGraceMs: 300 });
    const ana = await chatAs(server.url, 'ana');
    await ana.emitWithAck('room:join', 'lobby');
    const bea = await chatAs(server.url, 'bea');
    await bea.emitWithAck('room:join', 'lobby');
    const presence = collect<Presence>(bea, 'presence');

    if (how === 'clean') ana.disconnect();
    else ana.io.engine.close();
    await expect.poll(() => presence.length, { timeout: 3000 }).toBe(1);
    await afterTheGrace(server.url, bea, presence);
    expect(withoutMarker(presence)).toEqual([{ room: 'lobby', left: 'ana', count: 1 }]);
    expect(await bea.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['bea'] });
  },
);

test('a clean disconnect keeps the nick for the grace, then frees it', async () => {
  server = await startServer({ presenceGraceMs: 300, sessionSweepMs: 100 });
  const first = await connectChat(server.url);
  await register(first, 'leaver');
  first.disconnect();
  const next = await connectChat(server.url);
  await expect.poll(async () => (await next.emitWithAck('nick:register', 'leaver')).ok, { timeout: 3000 }).toBe(true);
});

test('a rename in another tab during the grace: the room hears left under the nick it knows', async () => {
  server = await startServer({ presenceGraceMs: 300 });
  const tab1 = await connectChat(server.url);
  const token = await register(tab1, 'before');
  const tab2 = await connectChat(server.url, 'websocket', { auth: { token } });
  await tab1.emitWithAck('room:join', 'lobby');
  const bea = await chatAs(server.url, 'bea');
  await bea.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(bea, 'presence');
  tab1.disconnect();
  await register(tab2, 'after'); // tab2 is not in the lobby, so the lobby is not told of the rename
  await expect.poll(() => presence.length, { timeout: 3000 }).toBe(1);
  await settle(bea);
  expect(presence).toEqual([{ room: 'lobby', left: 'before', count: 1 }]);
});
