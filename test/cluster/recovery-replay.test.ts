import { Redis } from 'ioredis';
import { expect, test } from 'vitest';
import { SESSION_KEY_PREFIX, SessionRecords } from '../../server/cluster/session-records.js';
import { type ChatClient, chatAs, connectChat } from '../helpers.js';
import { useNodes } from './cluster.js';

// Issue 13: a recovery session is restored once, in cluster mode too. Session records are written ahead while
// the socket is connected (so a client of a killed node can resume elsewhere); presenting a live socket's pid and
// offset on a second connection must not hand out its id and rooms.
const cluster = useNodes(2);

/**
 * socket.io-client's recovery credentials: what it would present on its own reconnection. A client handed them
 * in `auth` is restored when it gets the socket's id (its `recovered` flag compares with a pid of its own).
 */
const credentials = (socket: ChatClient) => {
  const { _pid: pid, _lastOffset: offset } = socket as unknown as { _pid: string; _lastOffset: string };
  return { pid, offset };
};

async function members(client: ChatClient, room: string): Promise<string[]> {
  const reply = await client.emitWithAck('room:members', room);
  return reply.ok ? reply.members : [];
}

test("a live socket's pid and offset, replayed on either node, get a new connection; once gone, it is restored once", async () => {
  const [one, two] = cluster.nodes.map((node) => node.url) as [string, string];
  const watcher = await chatAs(two, 'watcher');
  await watcher.emitWithAck('room:join', 'lobby');
  const victim = await chatAs(one, 'victim');
  await victim.emitWithAck('room:join', 'lobby');
  const heard = new Promise((resolve) => victim.once('message', resolve));
  await watcher.emitWithAck('message:send', { room: 'lobby', text: 'hello' });
  await heard;
  const auth = credentials(victim);
  const victimId = victim.id;
  const redis = new Redis(cluster.backing.redis.url);
  try {
    // the record a replay would be restored from is there, written ahead by node-1
    await expect.poll(async () => redis.get(SESSION_KEY_PREFIX + auth.pid)).not.toBeNull();
    expect(SessionRecords.decode((await redis.get(SESSION_KEY_PREFIX + auth.pid))!)).toMatchObject({ node: 'node-1' });
  } finally {
    redis.disconnect();
  }

  for (const url of [two, one]) {
    const replay = await connectChat(url, 'websocket', { auth });
    expect(replay.id).not.toBe(victimId);
    replay.disconnect();
  }
  expect(victim.connected).toBe(true);
  expect(await members(watcher, 'lobby')).toEqual(['victim', 'watcher']);

  // The network drops the victim: now its session may be restored, on any node, by one connection.
  const dropped = new Promise((resolve) => victim.once('disconnect', resolve));
  victim.io.engine.close();
  await dropped;
  const resumed = await connectChat(two, 'websocket', { auth });
  expect(resumed.id).toBe(victimId);
  const again = await connectChat(one, 'websocket', { auth });
  expect(again.id).not.toBe(victimId);

  resumed.disconnect(); // no ghost is left behind
  await expect.poll(() => members(watcher, 'lobby')).toEqual(['watcher']);
});

test('a record written ahead by a node that no longer answers is restored: its clients fail over', async () => {
  const [one] = cluster.nodes.map((node) => node.url) as [string];
  const writer = await chatAs(one, 'writer');
  await writer.emitWithAck('room:join', 'lobby');
  await writer.emitWithAck('message:send', { room: 'lobby', text: 'before the crash' });
  const redis = new Redis(cluster.backing.redis.url);
  try {
    const [[offset]] = (await redis.xrange('parley:stream', '-', '+')) as [[string, string[]]];
    // what node-9 wrote ahead for its socket before it was killed (it never answers the question)
    const sid = 'gone-socket-0000000a';
    const record = { sid, pid: 'gone-pid', rooms: [sid, 'room:lobby'], data: {}, node: 'node-9' };
    await redis.set(SESSION_KEY_PREFIX + record.pid, SessionRecords.encode(record), 'PX', 60_000);
    const resumed = await connectChat(one, 'websocket', { auth: { pid: record.pid, offset } });
    expect(resumed.id).toBe(sid);
  } finally {
    redis.disconnect();
  }
});
