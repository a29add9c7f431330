import { describe, expect, test } from 'vitest';
import type { NewsItem } from '../../server/protocol/events.js';
import { collect, connectNews, useFreshServer } from '../helpers.js';

const server = useFreshServer();

describe.each(['websocket', 'polling'] as const)('/news over %s', (transport) => {
  test('topics, subscribe and unsubscribe', async () => {
    const news = await connectNews(server.url, transport);
    expect(await news.emitWithAck('news:topics')).toEqual({ ok: true, topics: ['markets', 'sports', 'tech'] });
    expect(await news.emitWithAck('news:subscribe', 'tech')).toEqual({ ok: true, topic: 'tech' });
    expect(await news.emitWithAck('news:unsubscribe', 'tech')).toEqual({ ok: true, topic: 'tech' });
    expect(await news.emitWithAck('news:subscribe', 'gossip')).toMatchObject({
      ok: false,
      error: { code: 'TOPIC_INVALID' },
    });
    expect(await news.emitWithAck('news:unsubscribe', 'gossip')).toMatchObject({
      ok: false,
      error: { code: 'TOPIC_INVALID' },
    });
  });

  test('subscribers get items of their topics only, with seq rising by 1 per topic', async () => {
    const tech = await connectNews(server.url, transport);
    const sports = await connectNews(server.url, transport);
    await tech.emitWithAck('news:subscribe', 'tech');
    await sports.emitWithAck('news:subscribe', 'sports');
    const techItems = collect<NewsItem>(tech, 'news');
    const sportsItems = collect<NewsItem>(sports, 'news');
    await server.app.feed.publish('tech', 'one');
    await server.app.feed.publish('sports', 'goal');
    await server.app.feed.publish('tech', 'two');
    await expect.poll(() => techItems.length).toBe(2);
    await expect.poll(() => sportsItems.length).toBe(1);
    expect(techItems).toEqual([
      { topic: 'tech', seq: 1, headline: 'one', ts: expect.any(Number) },
      { topic: 'tech', seq: 2, headline: 'two', ts: expect.any(Number) },
    ]);
    expect(sportsItems).toEqual([{ topic: 'sports', seq: 1, headline: 'goal', ts: expect.any(Number) }]);
  });
});

test('the demo feed publishes on every default topic; gaps in seq are counted, not errors', async () => {
  await server.restartWith({ newsRate: 50 });
  const news = await connectNews(server.url);
  for (const topic of ['markets', 'sports', 'tech']) await news.emitWithAck('news:subscribe', topic);
  const items = collect<NewsItem>(news, 'news');
  await expect.poll(() => new Set(items.map((i) => i.topic)).size, { timeout: 3000 }).toBe(3);
  await expect.poll(() => items.length, { timeout: 3000 }).toBeGreaterThan(20);
  for (const topic of ['markets', 'sports', 'tech']) {
    const seqs = items.filter((i) => i.topic === topic).map((i) => i.seq);
    // Volatile: items may be dropped, so seq must rise but may jump; a jump is what a client counts as missed.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    const missed = seqs.slice(1).reduce((sum, seq, i) => sum + (seq - seqs[i]! - 1), 0);
    expect(missed).toBeGreaterThanOrEqual(0);
  }
});

test('unsubscribing stops the items', async () => {
  const news = await connectNews(server.url);
  await news.emitWithAck('news:subscribe', 'tech');
  await news.emitWithAck('news:unsubscribe', 'tech');
  const items = collect<NewsItem>(news, 'news');
  await server.app.feed.publish('tech', 'unseen');
  await news.emitWithAck('news:topics'); // round trip: an item sent before the reply has arrived by now
  expect(items).toEqual([]);
});
