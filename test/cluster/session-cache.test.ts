import { Redis } from 'ioredis';
import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { collect, connectChat } from '../helpers.js';
import { useNodes } from './cluster.js';

const cluster = useNodes(2);
const [nodeA, nodeB] = [() => cluster.nodes[0]!.url, () => cluster.nodes[1]!.url];

/** Every command Redis runs while `during` runs that names the session token as an argument of its own. */
async function sessionStoreCalls(token: string, during: () => Promise<void>): Promise<string[][]> {
  const client = new Redis(cluster.backing.redis.url);
  const monitor = await client.monitor();
  const calls: string[][] = [];
  // The session scripts take the token as an argument; budgets name `session:<token>` inside a key instead.
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args.includes(token)) calls.push(args);
  });
  try {
    await during();
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  return calls;
}

test('a session that did not change costs no session-store read per request; a change on another node is seen', async () => {
  const ana = await connectChat(nodeA());
  const registered = await ana.emitWithAck('nick:register', 'ana');
  if (!registered.ok) throw new Error(registered.error.code);
  const { token } = registered;
  await ana.emitWithAck('room:join', 'cached');
  const got = collect<Message>(ana, 'message');

  const calls = await sessionStoreCalls(token, async () => {
    for (let i = 0; i < 10; i++) {
      expect(await ana.emitWithAck('message:send', { room: 'cached', text: `m${i}` })).toMatchObject({ ok: true });
    }
    await ana.emitWithAck('room:members', 'cached');
    await ana.emitWithAck('room:history', { room: 'cached' });
    ana.emit('typing', { room: 'cached' });
    await ana.emitWithAck('rooms:list');
  });
  expect(calls).toEqual([]);

  // A second tab of the session on node B renames it: node A's copy is dropped over the bus.
  const tab = await connectChat(nodeB(), 'websocket', { auth: { token } });
  expect(await tab.emitWithAck('nick:register', 'ana-renamed')).toMatchObject({ ok: true });
  expect(await ana.emitWithAck('message:send', { room: 'cached', text: 'after' })).toMatchObject({ ok: true });
  await expect.poll(() => got.at(-1)).toMatchObject({ text: 'after', nick: 'ana-renamed' });
});
