import { expect, test } from 'vitest';
import { MESSAGE_LIMIT } from '../../server/lib/rate-limit.js';
import type { Ack } from '../../server/protocol/events.js';
import { MAX_SOCKETS_PER_SESSION } from '../../server/protocol/limits.js';
import { type ChatClient, connectChat } from '../helpers.js';
import { useNodes } from './cluster.js';

const cluster = useNodes(2);

let counter = 0;
/** Tests of this file share one Redis: each uses nicks and rooms of its own. */
const fresh = (name: string) => `${name}${++counter}x${Date.now() % 1_000_000}`;

async function register(client: ChatClient, nick: string): Promise<string> {
  const res = await client.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(res.error.code);
  return res.token;
}

test("one session's sockets on two nodes share one message budget (kept in Redis)", async () => {
  const room = fresh('lobby');
  const first = await connectChat(cluster.nodes[0]!.url);
  const token = await register(first, fresh('twice'));
  const second = await connectChat(cluster.nodes[1]!.url, 'websocket', { auth: { token } });
  await Promise.all([first, second].map((socket) => socket.emitWithAck('room:join', room)));
  const replies: Ack<object>[] = await Promise.all(
    [first, second].flatMap((socket, s) =>
      Array.from({ length: 15 }, (_, i) => socket.emitWithAck('message:send', { room, text: `${s}.${i}` })),
    ),
  );
  expect(replies.filter((r) => r.ok)).toHaveLength(MESSAGE_LIMIT.points); // 30 tried, one budget of 20
});

test('MAX_SOCKETS_PER_SESSION holds across nodes: the store counts the sockets of every node', async () => {
  const first = await connectChat(cluster.nodes[0]!.url);
  const token = await register(first, fresh('tabs'));
  const attempts = await Promise.allSettled(
    Array.from({ length: MAX_SOCKETS_PER_SESSION + 1 }, (_, i) =>
      connectChat(cluster.nodes[i % 2]!.url, 'websocket', { auth: { token } }),
    ),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(MAX_SOCKETS_PER_SESSION - 1);
  const refused = attempts.filter((a) => a.status === 'rejected');
  expect(refused.map((r) => (r.reason as { data?: unknown }).data)).toEqual([
    { code: 'LIMIT_EXCEEDED' },
    { code: 'LIMIT_EXCEEDED' },
  ]);
});
