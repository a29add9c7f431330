import { afterEach, expect, test } from 'vitest';
import { MESSAGE_LIMIT, memoryLimits } from '../../server/lib/rate-limit.js';
import type { Ack } from '../../server/protocol/events.js';
import { PRESENCE_GRACE_MS } from '../../server/protocol/limits.js';
import { LOOPBACK_BUDGETS, LOOPBACK_CLIENT_LIMITS, connectChat, connectNews, useFreshServer } from '../helpers.js';
import { RawEngine } from '../raw-engine.js';

// Sockets per session raised, so the budget is shown shared even where the socket cap would not stop it first;
// the presence grace of production, so a session outlives a clean namespace disconnect as it does for a reload.
const server = useFreshServer({
  clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxSocketsPerSession: 20 },
  presenceGraceMs: PRESENCE_GRACE_MS,
});
const raws: RawEngine[] = [];
afterEach(() => raws.splice(0).forEach((raw) => raw.close()));

const okCount = (replies: Ack<object>[]) => replies.filter((r) => r.ok).length;

test('20 sockets of one session share one message budget', async () => {
  const first = await connectChat(server.url);
  const registered = await first.emitWithAck('nick:register', 'many');
  if (!registered.ok) throw new Error('register failed');
  const tabs = [first];
  for (let i = 1; i < 20; i++)
    tabs.push(await connectChat(server.url, 'websocket', { auth: { token: registered.token } }));
  await Promise.all(tabs.map((tab) => tab.emitWithAck('room:join', 'lobby')));
  const replies = await Promise.all(
    tabs.flatMap((tab, t) =>
      Array.from({ length: 3 }, (_, i) => tab.emitWithAck('message:send', { room: 'lobby', text: `${t}.${i}` })),
    ),
  );
  expect(okCount(replies)).toBe(MESSAGE_LIMIT.points); // 60 tried, one budget of 20
  expect(replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(60 - MESSAGE_LIMIT.points);
});

test('a namespace reconnected in a loop on one WebSocket keeps its session budget', async () => {
  const raw = await RawEngine.open(server.url);
  raws.push(raw);
  await raw.connect('/chat');
  await raw.connect('/news'); // a round trip on /news shows the server has handled a /chat DISCONNECT
  const registered = await raw.request<Ack<{ token: string }>>('/chat', 'nick:register', 'looper');
  if (!registered.ok) throw new Error('register failed');
  let accepted = 0;
  for (let round = 0; round < 10; round++) {
    raw.disconnect('/chat'); // 41/chat,
    await raw.request('/news', 'news:topics'); // a CONNECT before the DISCONNECT is handled would close it all
    await raw.connect('/chat', { token: registered.token }); // 40/chat,{token}: a new socket id every time
    await raw.request('/chat', 'room:join', 'lobby');
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        raw.request<Ack<object>>('/chat', 'message:send', { room: 'lobby', text: `${round}.${i}` }),
      ),
    );
    accepted += okCount(replies);
  }
  expect(accepted).toBe(MESSAGE_LIMIT.points); // 50 tried over 10 sockets
});

test('guests, before registering, share the budget of their address', async () => {
  await server.restartWith({
    limits: memoryLimits({ ...LOOPBACK_BUDGETS, guests: { points: 10, windowSeconds: 60 } }),
  });
  const guests = await Promise.all([connectChat(server.url), connectChat(server.url), connectChat(server.url)]);
  const replies = await Promise.all(
    guests.flatMap((guest) => Array.from({ length: 6 }, () => guest.emitWithAck('rooms:list'))),
  );
  expect(okCount(replies)).toBe(10);
  // Registering moves a socket onto its own session's budget.
  const fresh = await connectChat(server.url);
  expect(await fresh.emitWithAck('nick:register', 'latecomer')).toMatchObject({
    ok: false,
    error: { code: 'RATE_LIMITED' },
  });
});

test('/news sockets share the budget of their address', async () => {
  await server.restartWith({ limits: memoryLimits({ ...LOOPBACK_BUDGETS, news: { points: 8, windowSeconds: 60 } }) });
  const readers = await Promise.all([connectNews(server.url), connectNews(server.url)]);
  const replies = await Promise.all(
    readers.flatMap((reader) => Array.from({ length: 6 }, () => reader.emitWithAck('news:subscribe', 'tech'))),
  );
  expect(okCount(replies)).toBe(8);
});
