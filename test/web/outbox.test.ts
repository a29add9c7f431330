import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, expect, test, vi } from 'vitest';
import type { ChatClientToServer, ChatServerToClient, ErrorBody, Message } from '../../server/protocol/events.js';
import { MAX_ATTEMPTS, Outbox } from '../../web/chat/outbox.js';
import { Session } from '../../web/chat/session.js';
import type { ChatSocket } from '../../web/connection/chat-connection.js';

/** What the scripted server does with one `message:send`: store it, never answer, or refuse it. */
type Step = 'store' | 'ignore' | ErrorBody;

const ACK_TIMEOUT_MS = 150;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.unstubAllGlobals();
});

/**
 * A real Socket.IO server whose `message:send` follows a script (then stores everything), and a real client
 * socket connected to it. `received` lists every send the server got, retries included.
 */
async function scriptedServer(script: Step[] = []) {
  const httpServer = createServer();
  const server = new Server<ChatClientToServer, ChatServerToClient>(httpServer);
  const received: { clientId: string | undefined; text: string }[] = [];
  let nextId = 1;
  server.of('/chat').on('connection', (socket) => {
    socket.on('message:send', (message, reply) => {
      received.push({ clientId: message.clientId, text: message.text });
      const step = script.shift() ?? 'store';
      if (step === 'store') reply({ ok: true, id: nextId++, ts: 0 });
      else if (step !== 'ignore') reply({ ok: false, error: step });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const socket: ChatSocket = io(`http://127.0.0.1:${port}/chat`, { forceNew: true, reconnection: false });
  cleanups.push(
    () => server.close(),
    () => socket.disconnect(),
  );
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
  return { socket, received };
}

/** An outbox on that socket for the nick ana; `online` decides whether it may send. */
function outboxOn(socket: ChatSocket, session = new Session()) {
  session.update({ nick: 'ana' });
  const shown: Message[] = [];
  const state = { online: true };
  const outbox = new Outbox(
    session,
    { socket: () => (state.online ? socket : undefined), stored: (m) => void shown.push(m), changed: () => {} },
    ACK_TIMEOUT_MS,
  );
  return { outbox, shown, state };
}

test('messages go out one at a time, in the order they were typed, and are shown when stored', async () => {
  const { socket, received } = await scriptedServer();
  const { outbox, shown } = outboxOn(socket);
  for (const text of ['one', 'two', 'three']) outbox.add('lobby', text);
  await expect.poll(() => shown.map((m) => m.text)).toEqual(['one', 'two', 'three']);
  expect(received.map((r) => r.text)).toEqual(['one', 'two', 'three']);
  expect(shown.map((m) => [m.id, m.nick, m.room])).toEqual([
    [1, 'ana', 'lobby'],
    [2, 'ana', 'lobby'],
    [3, 'ana', 'lobby'],
  ]);
  expect(outbox.entries).toEqual([]);
});

test('an unanswered send is repeated with the same clientId, then shown as failed with TIMEOUT', async () => {
  const { socket, received } = await scriptedServer(['ignore', 'ignore']);
  const { outbox, shown } = outboxOn(socket);
  outbox.add('lobby', 'hello');
  await expect.poll(() => shown.map((m) => m.text)).toEqual(['hello']);
  expect(received).toHaveLength(3);
  expect(new Set(received.map((r) => r.clientId)).size).toBe(1);

  const silent = await scriptedServer(Array<Step>(MAX_ATTEMPTS).fill('ignore'));
  const stuck = outboxOn(silent.socket).outbox;
  stuck.add('lobby', 'into the void');
  await expect.poll(() => stuck.entries[0]?.status).toBe('failed');
  expect(silent.received).toHaveLength(MAX_ATTEMPTS);
  expect(stuck.entries[0]?.error?.code).toBe('TIMEOUT');
});

test('offline, messages wait; back online, they are sent in order', async () => {
  const { socket, received } = await scriptedServer();
  const { outbox, state } = outboxOn(socket);
  state.online = false;
  outbox.add('lobby', 'a');
  outbox.add('lobby', 'b');
  await outbox.flush();
  expect(received).toEqual([]);
  expect(outbox.entries.map((e) => e.status)).toEqual(['queued', 'queued']);
  state.online = true;
  await outbox.flush();
  expect(received.map((r) => r.text)).toEqual(['a', 'b']);
});

test('a refused message says why and can be retried or discarded', async () => {
  const refused: ErrorBody = { code: 'RATE_LIMITED', message: 'slow down' };
  const { socket } = await scriptedServer([refused, refused]);
  const { outbox, shown } = outboxOn(socket);
  const first = outbox.add('lobby', 'first');
  const second = outbox.add('lobby', 'second');
  await expect.poll(() => outbox.entries.map((e) => e.status)).toEqual(['failed', 'failed']);
  expect(first.error).toEqual(refused);
  outbox.discard(second.clientId);
  outbox.retry(first.clientId);
  await expect.poll(() => shown.map((m) => m.text)).toEqual(['first']);
  expect(outbox.entries).toEqual([]);
});

test('the broadcast of our own message settles the entry even before the ack', async () => {
  const { socket } = await scriptedServer();
  const { outbox, state } = outboxOn(socket);
  state.online = false;
  const entry = outbox.add('lobby', 'hi');
  outbox.confirm(entry.clientId);
  expect(outbox.entries).toEqual([]);
});

test('a sent message is written to storage twice: when typed and when the server has it', async () => {
  const writes: string[] = [];
  const stored = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => void (writes.push(value), stored.set(key, value)),
  });
  const { socket } = await scriptedServer();
  const session = new Session();
  session.open('https://chat.example');
  const { outbox, shown } = outboxOn(socket, session);
  writes.length = 0; // the nick
  outbox.add('lobby', 'kept until stored');
  await expect.poll(() => shown.length).toBe(1);
  expect(writes.map((w) => (JSON.parse(w) as { outbox: { text: string }[] }).outbox.map((m) => m.text))).toEqual([
    ['kept until stored'],
    [],
  ]);
});
