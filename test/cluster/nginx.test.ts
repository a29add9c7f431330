import { afterEach, beforeEach, expect, test } from 'vitest';
import { sessionIdPrefix } from '../../server/app.js';
import type { Message, Presence } from '../../server/protocol/events.js';
import { type ChatClient, collect, connectChat } from '../helpers.js';
import { type NginxServer, startNginx } from '../nginx/nginx.js';
import { useNodes } from './cluster.js';

const ROOM = 'lobby';
/** Each client sends this many messages one after another, each acked: many requests on every session. */
const ROUNDS = 8;

const cluster = useNodes(3);
let nginx: NginxServer;
beforeEach(async () => {
  nginx = await startNginx(cluster.nodes.map(({ id, url }) => ({ id, url })));
});
afterEach(() => nginx.stop());

/** The node holding a client's socket (so its Engine.IO session too), if any. */
function ownerOf(client: ChatClient): string | undefined {
  return cluster.nodes.find((node) => client.id !== undefined && node.app.io.of('/chat').sockets.has(client.id))?.id;
}

test('polling and upgrading clients behind nginx chat across 3 nodes; every request reaches its sid node', async () => {
  const polling = await Promise.all(Array.from({ length: 6 }, () => connectChat(nginx.url, 'polling')));
  const upgrading = await Promise.all(
    Array.from({ length: 3 }, () => connectChat(nginx.url, 'polling', { transports: ['polling', 'websocket'] })),
  );
  const clients = [...polling, ...upgrading];
  // New sessions go round robin, so every node holds some; each lives on the node its sid names.
  const owners = clients.map(ownerOf);
  expect(new Set(owners)).toEqual(new Set(cluster.nodes.map((node) => node.id)));
  clients.forEach((client, i) => expect(sessionIdPrefix(owners[i]!)).toBe(client.io.engine.id.split('.')[0]));

  for (const [i, client] of clients.entries()) {
    expect(await client.emitWithAck('nick:register', `n${i}`)).toMatchObject({ ok: true });
    expect(await client.emitWithAck('room:join', ROOM)).toMatchObject({ ok: true });
  }
  const received = clients.map((client) => collect<Message>(client, 'message'));
  const presence = collect<Presence>(clients[0]!, 'presence');
  // Many round trips per session: every ack and every broadcast is a poll or a POST on the session's node.
  const ids = await Promise.all(
    clients.map(async (client, i) => {
      const acked: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ack = await client.emitWithAck('message:send', { room: ROOM, text: `${i}/${round}` });
        if (!ack.ok) throw new Error(ack.error.code);
        acked.push(ack.id);
      }
      return acked;
    }),
  );
  const all = ids.flat().sort((a, b) => a - b);
  // every message once on every session (concurrent sends from several nodes may arrive in any order)
  for (const got of received) await expect.poll(() => got.map((m) => m.id).sort((a, b) => a - b)).toEqual(all);
  expect(polling.every((client) => client.io.engine.transport.name === 'polling')).toBe(true);
  await expect
    .poll(() => upgrading.map((client) => client.io.engine.transport.name))
    .toEqual(Array(3).fill('websocket'));
  expect(clients.every((client) => client.connected)).toBe(true);
  // every session is still the one it started with, on the node its sid names
  expect(clients.map(ownerOf)).toEqual(owners);

  clients[8]!.disconnect();
  await expect.poll(() => presence.filter((p) => 'left' in p)).toEqual([{ room: ROOM, left: 'n8', count: 8 }]);
});

test('pages, /healthz and handshakes without a sid go to any node', async () => {
  const health = await fetch(`${nginx.url}/healthz`);
  expect(health.status).toBe(200);
  const page = await fetch(`${nginx.url}/socket.io/?EIO=4&transport=polling`);
  expect(page.status).toBe(200);
  const handshake = JSON.parse((await page.text()).slice(1)) as { sid: string };
  const prefixes = cluster.nodes.map((node) => sessionIdPrefix(node.id));
  expect(prefixes).toContain(handshake.sid.split('.')[0]);
  // A sid from a node nginx does not know goes to any node, which answers Engine.IO's "Session ID unknown".
  const stale = await fetch(`${nginx.url}/socket.io/?EIO=4&transport=polling&sid=gone.abc`);
  expect(stale.status).toBe(400);
});
