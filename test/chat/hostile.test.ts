import { expect, test } from 'vitest';
import type { Socket } from 'socket.io-client';
import { chatAs, collect, connectChat, connectNews, settle, useSharedServer } from '../helpers.js';

const server = useSharedServer(); // the cases below change nothing a later case reads

const ACKED_CHAT_EVENTS = ['nick:register', 'room:join', 'room:leave', 'room:history', 'room:members', 'message:send'];
const HOSTILE: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a boolean', true],
  ['an array', ['lobby']],
  ['a nested object', { room: { $gt: '' }, text: { toString: 'x' } }],
  ['a huge number', 1e308],
];

/** Emits raw arguments that the typed API would refuse. */
function emitRaw(socket: Socket, event: string, ...args: unknown[]): Promise<unknown> {
  return socket.timeout(3000).emitWithAck(event, ...args);
}

test.each(ACKED_CHAT_EVENTS.flatMap((event) => HOSTILE.map(([label, payload]) => [event, label, payload] as const)))(
  '%s with %s gets exactly one error reply with a contract code',
  async (event, _label, payload) => {
    const socket = await chatAs(server.url, `n${Math.random().toString(36).slice(2, 10)}`);
    await socket.emitWithAck('room:join', 'lobby');
    const reply = (await emitRaw(socket, event, payload)) as { ok: boolean; error?: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(['BAD_REQUEST', 'NICK_INVALID', 'ROOM_INVALID', 'MESSAGE_INVALID']).toContain(reply.error?.code);
    expect(reply.error?.message).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  },
);

test('a __proto__ key pollutes nothing; the rest of the payload counts as usual', async () => {
  const socket = await chatAs(server.url, 'proto');
  await socket.emitWithAck('room:join', 'lobby');
  const payload = JSON.parse('{"__proto__": {"polluted": true}, "room": "lobby", "text": "x"}');
  expect(await emitRaw(socket, 'message:send', payload)).toMatchObject({ ok: true });
  expect(await emitRaw(socket, 'room:history', payload)).toMatchObject({ ok: true });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('an acked event sent without its ack function is not processed, and the server keeps serving', async () => {
  const watcher = await chatAs(server.url, 'watcher');
  await watcher.emitWithAck('room:join', 'quiet');
  const messages = collect(watcher, 'message');
  const presence = collect(watcher, 'presence');
  const socket = await chatAs(server.url, 'noack');
  // Valid payloads, so only the missing ack function can stop them.
  const raw = socket as Socket;
  raw.emit('room:join', 'quiet');
  raw.emit('message:send', { room: 'quiet', text: 'should not be stored' });
  raw.emit('nick:register', 'renamed');
  raw.emit('room:history', { room: 'quiet' });
  raw.emit('room:members', 'quiet');
  raw.emit('rooms:list');
  await settle(socket); // a round trip on the same connection: the events above have been handled by now

  expect(await watcher.emitWithAck('room:members', 'quiet')).toEqual({ ok: true, room: 'quiet', members: ['watcher'] });
  expect(await watcher.emitWithAck('room:history', { room: 'quiet' })).toMatchObject({ ok: true, messages: [] });
  const other = await connectChat(server.url);
  expect(await other.emitWithAck('nick:register', 'renamed')).toMatchObject({ ok: true }); // still free
  await settle(watcher);
  expect([...messages, ...presence]).toEqual([]);
  expect(await socket.emitWithAck('room:join', 'quiet')).toMatchObject({ ok: true });
});

test('unknown events and hostile typing payloads are ignored', async () => {
  const socket = await chatAs(server.url, 'odd');
  (socket as Socket).emit('no:such:event', { a: 1 }, () => {});
  for (const [, payload] of HOSTILE) (socket as Socket).emit('typing', payload);
  (socket as Socket).emit('typing');
  expect(await socket.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true });
});

test('a 1 MB string closes only that connection; others keep chatting', async () => {
  const bystander = await chatAs(server.url, 'bystander');
  await bystander.emitWithAck('room:join', 'lobby');
  const attacker = await chatAs(server.url, 'attacker');
  const closed = new Promise<string>((resolve) => attacker.on('disconnect', resolve));
  attacker.emit('message:send', { room: 'lobby', text: 'x'.repeat(1024 * 1024) }, () => {});
  expect(await closed).toBe('transport close');
  expect(await bystander.emitWithAck('message:send', { room: 'lobby', text: 'still here' })).toMatchObject({
    ok: true,
  });
});

test('a 1 MB string over long-polling is refused the same way', async () => {
  const attacker = await connectChat(server.url, 'polling');
  const closed = new Promise<string>((resolve) => attacker.on('disconnect', resolve));
  attacker.emit('nick:register', 'x'.repeat(1024 * 1024), () => {});
  expect(await closed).toMatch(/transport (close|error)/);
  const other = await chatAs(server.url, 'after-polling', 'polling');
  expect(await other.emitWithAck('rooms:list')).toMatchObject({ ok: true });
});

test.each(['news:subscribe', 'news:unsubscribe'])('%s with hostile payloads replies BAD_REQUEST', async (event) => {
  const news = await connectNews(server.url);
  for (const [, payload] of HOSTILE) {
    expect(await emitRaw(news, event, payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  }
});
