import { expect, test } from 'vitest';
import { type ChatRecoveryAdapter, chatRecoveryAdapter } from '../../server/lib/chat-recovery-adapter.js';
import { RecoveryGate } from '../../server/lib/recovery-gate.js';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, type ChatClient, collect, connectChat, useFreshServer } from '../helpers.js';

// Issue 13: what connection state recovery keeps is bounded in bytes, and a session is restored once.
const RECOVERY_BYTES = 8 * 1024;
const server = useFreshServer({ adapter: chatRecoveryAdapter(RECOVERY_BYTES, new RecoveryGate()) });

/** Cuts the transport under the client (as a network drop would), without a Socket.IO disconnect packet. */
function cutTransport(socket: ChatClient): Promise<string> {
  const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.io.engine.close();
  return reason;
}

/** A client that was in `room` and got one message, then lost its connection; it does not reconnect by itself. */
async function cutMember(nick: string, room: string, writer: ChatClient) {
  const socket = await connectChat(server.url, 'websocket', { reconnectionDelay: 50, reconnectionDelayMax: 100 });
  const registered = await socket.emitWithAck('nick:register', nick);
  if (!registered.ok) throw new Error(registered.error.code);
  socket.auth = { token: registered.token }; // as the web client does: a new connection is the same session
  await socket.emitWithAck('room:join', room);
  const first = new Promise((resolve) => socket.once('message', resolve));
  await writer.emitWithAck('message:send', { room, text: 'hello' });
  await first;
  // socket.io-client's recovery credentials: what it would present on its own reconnection
  const { _pid: pid, _lastOffset: offset } = socket as unknown as { _pid: string; _lastOffset: string };
  const id = socket.id;
  await cutTransport(socket);
  return { socket, id, pid, offset };
}

async function reconnect(socket: ChatClient): Promise<void> {
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.connect();
  await connected;
}

test('a client whose missed packets were dropped for space gets a new connection and resyncs from history', async () => {
  const writer = await chatAs(server.url, 'writer');
  await writer.emitWithAck('room:join', 'lobby');
  const { socket: reader } = await cutMember('reader', 'lobby', writer);
  const texts = Array.from({ length: 15 }, (_, i) => `${i} ${'x'.repeat(800)}`); // ~15 KB: over the 8 KiB kept
  for (const text of texts) await writer.emitWithAck('message:send', { room: 'lobby', text });
  const adapter = server.app.io.of('/chat').adapter as ChatRecoveryAdapter;
  expect(adapter.keptBytes).toBeGreaterThan(0);
  expect(adapter.keptBytes).toBeLessThanOrEqual(RECOVERY_BYTES);

  const replayed = collect<Message>(reader, 'message');
  await reconnect(reader);
  expect(reader.recovered).toBe(false);
  expect(replayed).toEqual([]);
  // what the client does after a connection that was not recovered: its token keeps the nick; rejoin, read history
  expect(await reader.emitWithAck('nick:register', 'reader')).toMatchObject({ ok: true });
  const joined = await reader.emitWithAck('room:join', 'lobby');
  expect(joined.ok && joined.history.map((m) => m.text)).toEqual(['hello', ...texts]);
});

test('a client whose missed packets are all kept is recovered with them', async () => {
  const writer = await chatAs(server.url, 'writer');
  await writer.emitWithAck('room:join', 'lobby');
  const { socket: reader } = await cutMember('reader', 'lobby', writer);
  await writer.emitWithAck('message:send', { room: 'lobby', text: 'while away' });
  const replayed = collect<Message>(reader, 'message');
  await reconnect(reader);
  expect(reader.recovered).toBe(true);
  await expect.poll(() => replayed.map((m) => m.text)).toEqual(['while away']);
});

test('a session is restored once: a replay of its pid and offset gets a new connection, and no ghost stays', async () => {
  const watcher = await chatAs(server.url, 'watcher');
  await watcher.emitWithAck('room:join', 'lobby');
  const victim = await cutMember('victim', 'lobby', watcher);
  const auth = { pid: victim.pid, offset: victim.offset };
  const first = await connectChat(server.url, 'websocket', { auth });
  const second = await connectChat(server.url, 'websocket', { auth });
  expect(first.id).toBe(victim.id); // restored: the same socket id, rooms and session
  expect(second.id).not.toBe(victim.id);
  expect(await second.emitWithAck('message:send', { room: 'lobby', text: 'x' })).toMatchObject({
    ok: false,
    error: { code: 'NICK_REQUIRED' },
  });
  await expect
    .poll(async () => watcher.emitWithAck('room:members', 'lobby'))
    .toMatchObject({
      members: ['victim', 'watcher'],
    });
  first.disconnect();
  second.disconnect();
  await expect.poll(async () => watcher.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['watcher'] });
  expect(server.app.io.of('/chat').sockets.size).toBe(1);
});
