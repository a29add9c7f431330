import { afterEach, expect, test } from 'vitest';
import { MAX_PACKET_BURST } from '../../server/protocol/limits.js';
import { chatAs, nextEvent, useFreshServer } from '../helpers.js';
import { RawEngine } from '../raw-engine.js';

// The per-connection packet budget at its defaults; only the per-address caps are raised (every client is 127.0.0.1).
const server = useFreshServer({ clientLimits: { maxConnectionsPerAddress: 1_000_000 } });
const raws: RawEngine[] = [];
afterEach(() => raws.splice(0).forEach((raw) => raw.close()));

test('a connection that floods typing frames is disconnected; everyone else is served', async () => {
  const bystander = await chatAs(server.url, 'bystander');
  await bystander.emitWithAck('room:join', 'lobby');
  const raw = await RawEngine.open(server.url);
  raws.push(raw);
  await raw.connect('/chat');
  await raw.request('/chat', 'nick:register', 'flooder');
  await raw.request('/chat', 'room:join', 'lobby');
  const frame = `42/chat,${JSON.stringify(['typing', { room: 'lobby' }])}`;
  for (let i = 0; i < 40_000; i++) raw.ws.send(frame);
  await raw.next((f) => f === '41/chat,'); // Socket.IO DISCONNECT: the official client does not reconnect
  await raw.closed;
  expect(await bystander.emitWithAck('room:members', 'lobby')).toMatchObject({ ok: true });
});

test('the official client sees `io server disconnect` when it floods', async () => {
  const socket = await chatAs(server.url, 'spammy');
  const disconnected = nextEvent<string>(socket, 'disconnect');
  for (let i = 0; i < MAX_PACKET_BURST * 2; i++) socket.emit('typing', { room: 'lobby' });
  expect(await disconnected).toBe('io server disconnect');
});

test('a burst under the budget, such as rejoining rooms after a reconnect, keeps its connection', async () => {
  const socket = await chatAs(server.url, 'rejoiner');
  const rooms = Array.from({ length: 50 }, (_, i) => `room${i}`);
  const replies = await Promise.all(rooms.map((room) => socket.emitWithAck('room:members', room)));
  expect(replies.every((r) => r.ok || r.error.code === 'RATE_LIMITED')).toBe(true);
  expect(socket.connected).toBe(true);
});
