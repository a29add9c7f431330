import { expect, test } from 'vitest';
import type { ChatRecoveryAdapter } from '../../server/lib/chat-recovery-adapter.js';
import type { Message, Presence, ReadState } from '../../server/protocol/events.js';
import { chatAs, type ChatClient, collect, connectChat, useFreshServer } from '../helpers.js';

const server = useFreshServer();

/** Cuts the transport under the client (as a network drop would), without a Socket.IO disconnect packet. */
function cutTransport(socket: ChatClient): Promise<string> {
  const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.io.engine.close();
  return reason;
}

async function reconnectingClient(nick: string): Promise<ChatClient> {
  const socket = await connectChat(server.url, 'websocket', {
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  const reply = await socket.emitWithAck('nick:register', nick);
  if (!reply.ok) throw new Error(reply.error.code);
  return socket;
}

test('a client whose transport drops gets every missed message exactly once, in order, and keeps rooms and nick', async () => {
  const reader = await reconnectingClient('reader');
  const writer = await chatAs(server.url, 'writer');
  await reader.emitWithAck('room:join', 'lobby');
  await writer.emitWithAck('room:join', 'lobby');
  const got = collect<Message>(reader, 'message');
  const sentIds: number[] = [];
  const send = async (text: string) => {
    const ack = await writer.emitWithAck('message:send', { room: 'lobby', text });
    if (!ack.ok) throw new Error(ack.error.code);
    sentIds.push(ack.id);
  };

  await send('before');
  await expect.poll(() => got.length).toBe(1);
  reader.io.reconnection(false); // hold it down while the writer goes on
  await cutTransport(reader);
  for (let i = 0; i < 10; i++) await send(`while away ${i}`);
  reader.io.reconnection(true);
  const reconnected = new Promise<void>((resolve) => reader.once('connect', () => resolve()));
  reader.connect();
  await reconnected;
  expect(reader.recovered).toBe(true);
  await send('after');

  await expect.poll(() => got.length).toBe(12);
  expect(got.map((m) => m.id)).toEqual(sentIds);
  expect(got.map((m) => m.text)).toEqual([
    'before',
    ...Array.from({ length: 10 }, (_, i) => `while away ${i}`),
    'after',
  ]);
  // still the same nick, still in the room: it can send without registering or joining again
  expect(await reader.emitWithAck('message:send', { room: 'lobby', text: 'back' })).toMatchObject({ ok: true });
  expect(await writer.emitWithAck('room:members', 'lobby')).toMatchObject({ members: ['reader', 'writer'] });
});

test("a recovered client gets what was sent to its rooms while it was away, not other rooms' messages", async () => {
  const reader = await reconnectingClient('reader');
  const writer = await chatAs(server.url, 'writer');
  await reader.emitWithAck('room:join', 'lobby');
  for (const room of ['lobby', 'side']) await writer.emitWithAck('room:join', room);
  const got = collect<Message>(reader, 'message');
  reader.io.reconnection(false);
  await cutTransport(reader);
  for (const room of ['side', 'lobby', 'side']) {
    expect(await writer.emitWithAck('message:send', { room, text: `to ${room}` })).toMatchObject({ ok: true });
  }
  reader.io.reconnection(true);
  const reconnected = new Promise<void>((resolve) => reader.once('connect', () => resolve()));
  reader.connect();
  await reconnected;
  expect(reader.recovered).toBe(true);
  expect(await writer.emitWithAck('message:send', { room: 'lobby', text: 'after' })).toMatchObject({ ok: true });

  await expect.poll(() => got.map((m) => m.text)).toEqual(['to lobby', 'after']);
});

test('a tab that drops gets the read its other tab made meanwhile, though nobody else was there to receive it', async () => {
  const laptop = await connectChat(server.url, 'websocket');
  const registered = await laptop.emitWithAck('nick:register', 'ana');
  if (!registered.ok) throw new Error(registered.error.code);
  const phone = await connectChat(server.url, 'websocket', {
    auth: { token: registered.token },
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
  });
  const bob = await chatAs(server.url, 'bob');
  await laptop.emitWithAck('room:join', 'lobby');
  await bob.emitWithAck('room:join', 'lobby');
  const read = async (text: string) => {
    const sent = await bob.emitWithAck('message:send', { room: 'lobby', text });
    if (!sent.ok) throw new Error(sent.error.code);
    expect(await laptop.emitWithAck('room:read', { room: 'lobby', id: sent.id })).toMatchObject({ ok: true });
    return { room: 'lobby', readId: sent.id, unread: 0, mentions: 0 };
  };
  const reads = collect<ReadState>(phone, 'read');
  const first = await read('hi');
  await expect.poll(() => reads).toEqual([first]);
  phone.io.reconnection(false);
  const phoneId = phone.id!;
  await cutTransport(phone);
  // once the server has seen it go, the phone was the only other socket of ana's: the read below reaches nobody now
  await expect.poll(() => server.app.io.of('/chat').sockets.has(phoneId)).toBe(false);
  const second = await read('still there?');
  phone.io.reconnection(true);
  const reconnected = new Promise<void>((resolve) => phone.once('connect', () => resolve()));
  phone.connect();
  await reconnected;
  expect(phone.recovered).toBe(true);
  await expect.poll(() => reads).toEqual([first, second]);
});

test('a broadcast that reaches nobody is not kept for recovery', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bob = await chatAs(server.url, 'bob');
  await ana.emitWithAck('room:join', 'lobby');
  await bob.emitWithAck('room:join', 'lobby');
  const sent = await bob.emitWithAck('message:send', { room: 'lobby', text: 'hi' });
  if (!sent.ok) throw new Error(sent.error.code);
  const adapter = server.app.io.of('/chat').adapter as ChatRecoveryAdapter;
  const kept = adapter.keptBytes;
  // each read is told to ana's other sockets, and she has none
  for (let i = 0; i < 10; i++) {
    expect(await ana.emitWithAck('room:read', { room: 'lobby', id: sent.id })).toMatchObject({ ok: true });
  }
  expect(adapter.keptBytes).toBe(kept);
  // what does reach someone is kept as before
  expect(await bob.emitWithAck('message:send', { room: 'lobby', text: 'again' })).toMatchObject({ ok: true });
  expect(adapter.keptBytes).toBeGreaterThan(kept);
});

test('the others see the dropped client leave and come back', async () => {
  const reader = await reconnectingClient('reader');
  const watcher = await chatAs(server.url, 'watcher');
  await reader.emitWithAck('room:join', 'lobby');
  await watcher.emitWithAck('room:join', 'lobby');
  const presence = collect<Presence>(watcher, 'presence');
  await cutTransport(reader);
  await expect
    .poll(() => presence)
    .toEqual([
      { room: 'lobby', left: 'reader', count: 1 },
      { room: 'lobby', joined: 'reader', count: 2 },
    ]);
});
