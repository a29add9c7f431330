import { describe, expect, test } from 'vitest';
import type { Message, NewsItem, Presence } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, collect, connectChat, connectNews, settle } from '../helpers.js';
import { CLUSTER_METRICS_TOKEN, startNode, useNodes } from './cluster.js';

const cluster = useNodes(3);

let counter = 0;
/** Tests of this file share one Redis and PostgreSQL: each uses rooms and nicks of its own. */
const fresh = (name: string) => `${name}${++counter}x${Date.now() % 1_000_000}`;
const sorted = (names: string[]) => [...names].sort((x, y) => x.localeCompare(y));

async function register(client: ChatClient, nick: string): Promise<string> {
  const res = await client.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(res.error.code);
  return res.token;
}

describe('a 3-node cluster', () => {
  test('messages and presence cross nodes, counts agree, ids rise; a clientId retry on another node is no copy', async () => {
    const room = fresh('lobby');
    const [a, b, c] = [fresh('ana'), fresh('bea'), fresh('cy')];
    const ana = await connectChat(cluster.nodes[0]!.url);
    const token = await register(ana, a);
    const bea = await chatAs(cluster.nodes[1]!.url, b);
    const cy = await chatAs(cluster.nodes[2]!.url, c);
    await ana.emitWithAck('room:join', room);
    const anaPresence = collect<Presence>(ana, 'presence');
    expect(await bea.emitWithAck('room:join', room)).toMatchObject({ ok: true, members: sorted([a, b]) });
    await expect.poll(() => anaPresence).toEqual([{ room, joined: b, count: 2 }]);
    await cy.emitWithAck('room:join', room);
    await expect.poll(() => anaPresence.length).toBe(2);
    expect(anaPresence[1]).toEqual({ room, joined: c, count: 3 });
    for (const client of [ana, bea, cy]) {
      expect(await client.emitWithAck('room:members', room)).toEqual({ ok: true, room, members: sorted([a, b, c]) });
      expect(await client.emitWithAck('rooms:list')).toMatchObject({ ok: true, rooms: [{ name: room, members: 3 }] });
    }

    const got = [ana, bea, cy].map((client) => collect<Message>(client, 'message'));
    const ids: number[] = [];
    for (const [i, sender] of [ana, bea, cy, ana].entries()) {
      const ack = await sender.emitWithAck('message:send', { room, text: `hello ${i}`, clientId: `${room}-${i}` });
      if (!ack.ok) throw new Error(ack.error.code);
      ids.push(ack.id);
    }
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    for (const messages of got) await expect.poll(() => messages.map((m) => m.id)).toEqual(ids);

    // ana's second tab, on node 3, retries her first message: the first id comes back, nothing is broadcast
    const tab = await connectChat(cluster.nodes[2]!.url, 'websocket', { auth: { token } });
    expect(await tab.emitWithAck('room:join', room)).toMatchObject({ ok: true });
    const retry = await tab.emitWithAck('message:send', { room, text: 'hello 0', clientId: `${room}-0` });
    expect(retry).toMatchObject({ ok: true, id: ids[0] });
    await Promise.all([ana, bea, cy].map(settle));
    for (const messages of got) expect(messages).toHaveLength(4);
  });

  test('30 concurrent registrations of one nick and its look-alikes over the nodes: exactly one ok', async () => {
    const base = fresh('n');
    const looks = [`zoë${base}`, `ZOE\u0308${base.toUpperCase()}`, `Ｚｏｅ\u0308${base}`, `Zоë${base}`]; // о: Cyrillic
    const clients = await Promise.all(
      Array.from({ length: 30 }, (_, i) => connectChat(cluster.nodes[i % 3]!.url, i % 2 ? 'polling' : 'websocket')),
    );
    const results = await Promise.all(
      clients.map((client, i) => client.emitWithAck('nick:register', looks[i % looks.length]!)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'NICK_TAKEN')).toHaveLength(29);
  });

  test('a token issued on node A reclaims the nick on node B; two tabs on two nodes are one presence entry', async () => {
    const room = fresh('tabs');
    const nick = fresh('dee');
    const first = await connectChat(cluster.nodes[0]!.url);
    const token = await register(first, nick);
    await first.emitWithAck('room:join', room);
    const watcher = await chatAs(cluster.nodes[2]!.url, fresh('w'));
    await watcher.emitWithAck('room:join', room);
    const seen = collect<Presence>(watcher, 'presence');

    const second = await connectChat(cluster.nodes[1]!.url, 'websocket', { auth: { token } });
    expect(await second.emitWithAck('nick:register', nick)).toMatchObject({ ok: true, nick, token });
    expect(await second.emitWithAck('room:join', room)).toMatchObject({ ok: true });
    const members = await watcher.emitWithAck('room:members', room);
    expect(members.ok && members.members.filter((m) => m === nick)).toEqual([nick]);
    expect(seen).toEqual([]); // the nick was there already

    // somebody else cannot have it, on any node
    const other = await connectChat(cluster.nodes[2]!.url);
    expect(await other.emitWithAck('nick:register', nick)).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });

    first.disconnect(); // one tab closes: still present through the other
    await settle(watcher);
    await expect.poll(() => seen).toEqual([]);
    second.disconnect(); // the last one: left, once
    await expect.poll(() => seen).toEqual([{ room, left: nick, count: 1 }]);
  });

  test('news reaches subscribers on every node once each, seq +1; typing crosses nodes', async () => {
    const readers = await Promise.all(cluster.nodes.map((node) => connectNews(node.url)));
    for (const reader of readers) await reader.emitWithAck('news:subscribe', 'tech');
    const items = readers.map((reader) => collect<NewsItem>(reader, 'news'));
    const published = [];
    for (let i = 0; i < 5; i++) published.push(await cluster.nodes[i % 3]!.app.feed.publish('tech', `headline ${i}`));
    const seqs = published.map((item) => item.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    for (const got of items) await expect.poll(() => got.map((item) => item.seq)).toEqual(seqs);

    const room = fresh('typing');
    const [a, b] = [fresh('ty'), fresh('pe')];
    const ana = await chatAs(cluster.nodes[0]!.url, a);
    const bea = await chatAs(cluster.nodes[1]!.url, b);
    await ana.emitWithAck('room:join', room);
    await bea.emitWithAck('room:join', room);
    const typing = collect(bea, 'typing');
    const own = collect(ana, 'typing');
    ana.emit('typing', { room });
    await expect.poll(() => typing).toEqual([{ room, nick: a }]);
    await settle(ana);
    expect(own).toEqual([]);
  });
});

describe('cluster nodes', () => {
  test('the demo feed runs on one node only: items on every node, seq +1, each once', async () => {
    const demo = await Promise.all(['demo-1', 'demo-2'].map((id) => startNode(cluster.backing, id, { newsRate: 20 })));
    try {
      expect(demo.filter((node) => node.membership.holds('demo-feed'))).toHaveLength(1);
      const readers = await Promise.all(demo.map((node) => connectNews(node.url)));
      for (const reader of readers) await reader.emitWithAck('news:subscribe', 'sports');
      const items = readers.map((reader) => collect<NewsItem>(reader, 'news'));
      await expect.poll(() => Math.min(...items.map((got) => got.length)), { timeout: 5000 }).toBeGreaterThan(10);
      for (const got of items) {
        const seqs = got.map((item) => item.seq);
        expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // one publisher: no repeats, no gaps
      }
    } finally {
      await Promise.all(demo.map((node) => node.close()));
    }
  });

  test('/healthz names the node and reports Redis and PostgreSQL (details with the metrics token)', async () => {
    const authorization = `Bearer ${CLUSTER_METRICS_TOKEN}`;
    const res = await fetch(`${cluster.nodes[1]!.url}/healthz`, { headers: { authorization } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', nodeId: 'node-2', redis: 'up', postgres: 'up' });
    expect(await (await fetch(`${cluster.nodes[1]!.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
