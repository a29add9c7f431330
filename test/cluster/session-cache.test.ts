import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { collect, connectChat } from '../helpers.js';
import { useNodes } from './cluster.js';

const cluster = useNodes(2);
const [nodeA, nodeB] = [() => cluster.nodes[0]!.url, () => cluster.nodes[1]!.url];

/**
 * Every line of Redis's MONITOR output while `during` runs that names the session token as an argument of its
 * own. A plain socket reads it: ioredis's monitor mode can take a line that arrives with MONITOR's own reply
 * for a reply and fail ("Command queue state error", ioredis#1981), which it did on a busy machine.
 */
async function sessionStoreCalls(token: string, during: () => Promise<void>): Promise<string[]> {
  const { hostname, port } = new URL(cluster.backing.redis.url);
  const socket = connect(Number(port), hostname);
  const lines = createInterface({ input: socket });
  const calls: string[] = [];
  const started = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    lines.on('line', (line) => {
      if (line === '+OK') resolve();
      // The session scripts take the token as an argument; budgets name `session:<token>` inside a key instead.
      else if (line.includes(` "${token}"`)) calls.push(line);
    });
  });
  socket.write('MONITOR\r\n');
  await started;
  try {
    await during();
  } finally {
    socket.destroy();
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
