import { expect, test } from 'vitest';
import type { Presence } from '../../server/protocol/events.js';
import { type ChatClient, collect, connectChat, settle, useFreshServer } from '../helpers.js';

const server = useFreshServer();

async function register(socket: ChatClient, nick: string): Promise<string> {
  const reply = await socket.emitWithAck('nick:register', nick);
  if (!reply.ok) throw new Error(reply.error.code);
  return reply.token;
}

/** Cuts the connection the way a dead network does: no disconnect packet reaches the server. */
function cut(socket: ChatClient): void {
  socket.io.engine.close();
}

test('a cut client reconnecting with its token takes its nick back at once; a stranger cannot', async () => {
  const first = await connectChat(server.url);
  const token = await register(first, 'ghost');
  await first.emitWithAck('room:join', 'lobby');
  cut(first);

  const stranger = await connectChat(server.url);
  expect(await stranger.emitWithAck('nick:register', 'ghost')).toMatchObject({
    ok: false,
    error: { code: 'NICK_TAKEN' },
  });
  const forger = await connectChat(server.url, 'websocket', { auth: { token: 'A'.repeat(24) } });
  expect(await forger.emitWithAck('nick:register', 'ghost')).toMatchObject({
    ok: false,
    error: { code: 'NICK_TAKEN' },
  });

  const back = await connectChat(server.url, 'websocket', { auth: { token } });
  expect(await back.emitWithAck('nick:register', 'ghost')).toEqual({ ok: true, nick: 'ghost', token });
  expect(await back.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['ghost'] });
});

test('a reconnect with the token is that nick before it registers again', async () => {
  const first = await connectChat(server.url);
  const token = await register(first, 'ghost');
  cut(first);
  const back = await connectChat(server.url, 'polling', { auth: { token } });
  expect(await back.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['ghost'] });
});

test('two tabs with one token share the nick and appear once in presence', async () => {
  const tab1 = await connectChat(server.url);
  const token = await register(tab1, 'twin');
  const tab2 = await connectChat(server.url, 'websocket', { auth: { token } });
  const other = await connectChat(server.url);
  await register(other, 'other');
  await other.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(other, 'presence');

  expect(await tab1.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
  expect(await tab2.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: ['other', 'twin'] });
  tab1.disconnect();
  await settle(tab2);
  await settle(other);
  expect(presence).toEqual([{ room: 'lobby', joined: 'twin', count: 2 }]);
  expect(await other.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['other', 'twin'] });

  tab2.disconnect();
  await expect.poll(() => presence.at(-1)).toEqual({ room: 'lobby', left: 'twin', count: 1 });
});

test('a rename in one tab renames the session in both', async () => {
  const tab1 = await connectChat(server.url);
  const token = await register(tab1, 'before');
  const tab2 = await connectChat(server.url, 'websocket', { auth: { token } });
  await tab2.emitWithAck('room:join', 'lobby');
  const seen = collect<Presence>(tab2, 'presence');
  await register(tab1, 'after');
  await expect.poll(() => seen).toEqual([{ room: 'lobby', renamed: { from: 'before', to: 'after' }, count: 1 }]);
  const sent = await tab2.emitWithAck('message:send', { room: 'lobby', text: 'hi' });
  expect(sent.ok).toBe(true);
  const history = await tab2.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages[0]?.nick).toBe('after');
});

test('a clean disconnect frees the nick at once', async () => {
  const first = await connectChat(server.url);
  await register(first, 'leaver');
  first.disconnect();
  const next = await connectChat(server.url);
  await expect.poll(async () => (await next.emitWithAck('nick:register', 'leaver')).ok, { timeout: 2000 }).toBe(true);
});

test('a cut connection holds the nick for the recovery window, then frees it', async () => {
  await server.restartWith({ recoveryWindowMs: 600 });
  const first = await connectChat(server.url);
  await register(first, 'holder');
  cut(first);
  const next = await connectChat(server.url);
  expect(await next.emitWithAck('nick:register', 'holder')).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
  await expect
    .poll(async () => (await next.emitWithAck('nick:register', 'holder')).ok, { timeout: 3000, interval: 200 })
    .toBe(true);
});
