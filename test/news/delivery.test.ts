import { expect, test } from 'vitest';
import type { NewsItem } from '../../server/protocol/events.js';
import { collect, connectNews, useFreshServer } from '../helpers.js';

const server = useFreshServer();

const subscribers = (key: string) => [...(server.app.io.of('/news').adapter.rooms.get(key) ?? [])];

test('news:subscribe takes { topic, delivery }; the string form answers as before', async () => {
  const news = await connectNews(server.url);
  expect(await news.emitWithAck('news:subscribe', 'tech')).toEqual({ ok: true, topic: 'tech' });
  expect(await news.emitWithAck('news:subscribe', { topic: 'tech', delivery: 'volatile' })).toEqual({
    ok: true,
    topic: 'tech',
    delivery: 'volatile',
  });
  expect(subscribers('topic-volatile:tech')).toEqual([news.id]);
  expect(subscribers('topic:tech')).toEqual([]); // one delivery per topic: subscribing again switches it
  expect(await news.emitWithAck('news:subscribe', { topic: 'tech' })).toEqual({
    ok: true,
    topic: 'tech',
    delivery: 'flow-controlled',
  });
  expect(subscribers('topic:tech')).toEqual([news.id]);
  expect(subscribers('topic-volatile:tech')).toEqual([]);
  await news.emitWithAck('news:subscribe', { topic: 'sports', delivery: 'volatile' });
  expect(await news.emitWithAck('news:unsubscribe', 'sports')).toEqual({ ok: true, topic: 'sports' });
  expect(subscribers('topic-volatile:sports')).toEqual([]);
});

test.each([
  [{ topic: 'tech', delivery: 'sometimes' }, 'BAD_REQUEST'],
  [{ topic: 7 }, 'BAD_REQUEST'],
  [{}, 'BAD_REQUEST'],
  [['tech'], 'BAD_REQUEST'],
  [null, 'BAD_REQUEST'],
  [{ topic: 'gossip', delivery: 'volatile' }, 'TOPIC_INVALID'],
])('news:subscribe(%o) → %s', async (payload, code) => {
  const news = await connectNews(server.url);
  // @ts-expect-error malformed on purpose
  expect(await news.emitWithAck('news:subscribe', payload)).toMatchObject({ ok: false, error: { code } });
});

test('in a burst, a healthy volatile reader loses items that a flow-controlled reader gets', async () => {
  const paced = await connectNews(server.url);
  const volatile = await connectNews(server.url);
  await paced.emitWithAck('news:subscribe', 'markets');
  await volatile.emitWithAck('news:subscribe', { topic: 'markets', delivery: 'volatile' });
  const pacedItems = collect<NewsItem>(paced, 'news');
  const volatileItems = collect<NewsItem>(volatile, 'news');
  const burst = 300;
  await Promise.all(Array.from({ length: burst }, (_, i) => server.app.feed.publish('markets', `item ${i}`)));
  await expect.poll(() => pacedItems.length, { timeout: 5000 }).toBe(burst);
  await volatile.emitWithAck('news:topics'); // round trip: whatever was sent to it has arrived
  expect(volatileItems.length).toBeGreaterThan(0);
  expect(volatileItems.length).toBeLessThan(burst);
  const seqs = volatileItems.map((i) => i.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // dropped, never reordered
});
