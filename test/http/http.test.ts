import { expect, test } from 'vitest';
import type { NewsItem } from '../../server/protocol/events.js';
import { chatAs, collect, connectNews, useFreshServer } from '../helpers.js';

const server = useFreshServer({ newsToken: 's3cret', http: { metricsToken: 'm3trics' } });
const withMetricsToken = { headers: { authorization: 'Bearer m3trics' } };

const postNews = (body: string, token?: string) =>
  fetch(`${server.url}/api/news`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

test('GET /healthz with the metrics token reports status, uptime, sockets per namespace, storage, node', async () => {
  await chatAs(server.url, 'ana');
  await connectNews(server.url);
  const res = await fetch(`${server.url}/healthz`, withMetricsToken);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    status: 'ok',
    uptimeSeconds: expect.any(Number),
    sockets: { chat: 1, news: 1, engine: 2 },
    storage: { ok: true, store: 'sqlite' },
    nodeId: 'test-node',
  });
});

test('POST /api/news with the token publishes to subscribers', async () => {
  const news = await connectNews(server.url);
  await news.emitWithAck('news:subscribe', 'markets');
  const items = collect<NewsItem>(news, 'news');
  const res = await postNews(JSON.stringify({ topic: 'markets', headline: 'Rates unchanged' }), 's3cret');
  expect(res.status).toBe(201);
  expect(await res.json()).toMatchObject({ topic: 'markets', seq: 1, headline: 'Rates unchanged' });
  await expect.poll(() => items).toEqual([expect.objectContaining({ topic: 'markets', headline: 'Rates unchanged' })]);
});

test.each([
  ['no token', undefined],
  ['a wrong token', 'guess'],
  ['a longer token', 's3cret-and-more'],
])('POST /api/news with %s is 401', async (_label, token) => {
  const res = await postNews(JSON.stringify({ topic: 'markets', headline: 'x' }), token);
  expect(res.status).toBe(401);
});

test.each([
  ['bad JSON', '{"topic": "markets", '],
  ['a missing headline', JSON.stringify({ topic: 'markets' })],
  ['an empty headline', JSON.stringify({ topic: 'markets', headline: '  ' })],
  ['an unknown topic', JSON.stringify({ topic: 'gossip', headline: 'x' })],
  ['a number as topic', JSON.stringify({ topic: 1, headline: 'x' })],
])('POST /api/news with %s is 400 with a JSON error', async (_label, body) => {
  const res = await postNews(body, 's3cret');
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: expect.any(String) });
});

test('POST /api/news is disabled without NEWS_TOKEN', async () => {
  await server.restartWith({ newsToken: '' });
  const res = await postNews(JSON.stringify({ topic: 'markets', headline: 'x' }), '');
  expect(res.status).toBe(404);
});

test('a browser origin outside CORS_ORIGINS cannot open a Socket.IO connection; a listed one can', async () => {
  await server.restartWith({ corsOrigins: ['http://allowed.example'] });
  const handshake = (origin: string) =>
    fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
  expect((await handshake('http://evil.example')).status).toBe(403);
  const allowed = await handshake('http://allowed.example');
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
  expect((await handshake(server.url)).status).toBe(200); // same origin
});

test('GET /metrics exposes Prometheus counters of replies, stored messages and sockets', async () => {
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  await ana.emitWithAck('message:send', { room: 'lobby', text: 'counted' });
  await ana.emitWithAck('room:join', 'bad room');
  const res = await fetch(`${server.url}/metrics`, withMetricsToken);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^chat_messages_stored_total 1$/m);
  expect(text).toMatch(/^chat_replies_total\{event="message:send",result="ok"\} 1$/m);
  expect(text).toMatch(/^chat_replies_total\{event="room:join",result="ROOM_INVALID"\} 1$/m);
  expect(text).toMatch(/^chat_connected_sockets\{namespace="chat"\} 1$/m);
});
