import { expect, test } from 'vitest';
import type { Message, NewsItem } from '../../server/protocol/events.js';
import { chatAs, type ChatClient, collect, connectNews, useFreshServer } from '../helpers.js';

// Flow control (issue 5): news reaches readers that keep up even in bursts, and a /chat reader that stops
// reading is cut off instead of growing the server's memory.

const server = useFreshServer();

/** Stops reading the client's WebSocket (socket.io-client over `ws` in Node), as a stalled browser tab would. */
function stopReading(client: ChatClient): void {
  const transport = client.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void } } };
  const raw = transport.ws?._socket;
  if (!raw) throw new Error('no raw socket to pause');
  raw.pause();
}

test('a burst of news published in one tick reaches a reader that keeps up, every seq once', async () => {
  const reader = await connectNews(server.url);
  await reader.emitWithAck('news:subscribe', 'markets');
  const items = collect<NewsItem>(reader, 'news');
  for (let i = 0; i < 200; i++) await server.app.feed.publish('markets', `item ${i}`);
  await expect.poll(() => items.length).toBe(200);
  expect(items.map((item) => item.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
});

test('a /chat reader that stops reading is disconnected; the others keep getting every message', async () => {
  const stalled = await chatAs(server.url, 'stalled');
  const healthy = await chatAs(server.url, 'healthy');
  for (const client of [stalled, healthy])
    expect(await client.emitWithAck('room:join', 'flow')).toMatchObject({ ok: true });
  const received = collect<Message>(healthy, 'message');
  stopReading(stalled);
  const chat = server.app.io.of('/chat');
  const text = 'x'.repeat(1900);
  let sent = 0;
  // Far more than the kernel buffers and the per-client limit together; emitted as the handler does.
  const timer = setInterval(() => {
    for (let i = 0; i < 50; i++)
      chat.to('room:flow').emit('message', { id: ++sent, room: 'flow', nick: 'bench', text, ts: Date.now() });
  }, 5);
  try {
    await expect.poll(() => chat.sockets.size, { timeout: 15_000, interval: 100 }).toBe(1);
  } finally {
    clearInterval(timer);
  }
  expect(healthy.connected).toBe(true);
  await expect.poll(() => received.length, { timeout: 10_000 }).toBe(sent);
});
