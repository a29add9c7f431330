import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, collect, connectChat, useFreshServer } from '../helpers.js';

const server = useFreshServer();

test('past a burst of 20 messages a socket gets RATE_LIMITED; other clients are unaffected', async () => {
  const spammer = await chatAs(server.url, 'spammer');
  const calm = await chatAs(server.url, 'calm');
  await spammer.emitWithAck('room:join', 'lobby');
  await calm.emitWithAck('room:join', 'lobby');
  const replies = await Promise.all(
    Array.from({ length: 30 }, (_, i) => spammer.emitWithAck('message:send', { room: 'lobby', text: `spam ${i}` })),
  );
  const accepted = replies.filter((r) => r.ok).length;
  const limited = replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
  expect(accepted).toBe(20);
  expect(limited).toBe(10);
  expect(await calm.emitWithAck('message:send', { room: 'lobby', text: 'fine' })).toMatchObject({ ok: true });
});

test('rate-limited messages are neither stored nor broadcast', async () => {
  const spammer = await chatAs(server.url, 'spammer');
  const reader = await chatAs(server.url, 'reader');
  await spammer.emitWithAck('room:join', 'lobby');
  await reader.emitWithAck('room:join', 'lobby');
  const got = collect<Message>(reader, 'message');
  await Promise.all(
    Array.from({ length: 25 }, (_, i) => spammer.emitWithAck('message:send', { room: 'lobby', text: `${i}` })),
  );
  const history = await reader.emitWithAck('room:history', { room: 'lobby', limit: 100 });
  expect(history.ok && history.messages).toHaveLength(20);
  await expect.poll(() => got.length).toBe(20);
});

test('nick registrations and joins are limited too', async () => {
  const socket = await connectChat(server.url);
  const replies = await Promise.all(
    Array.from({ length: 25 }, (_, i) => socket.emitWithAck('nick:register', `nick${i}`)),
  );
  // The first registration is a guest's (its address's budget) and creates the session; the other 24 draw on
  // the session's 20.
  expect(replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(4);
});
