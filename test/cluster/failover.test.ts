import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Message, Presence } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, collect, disconnectAll, settle, tempDataDir } from '../helpers.js';
import { type ServerProcess, spawnServer } from '../server-process.js';
import { type Backing, startBacking } from './cluster.js';
import { type TestBalancer, startBalancer } from './proxy.js';

const RECOVERY_WINDOW_MS = 8000;
const ROOM = 'failover';

let backing: Backing;
const processes: ServerProcess[] = [];
let balancer: TestBalancer | undefined;
beforeAll(async () => {
  backing = await startBacking();
});
afterAll(async () => {
  disconnectAll();
  await balancer?.close();
  for (const server of processes) server.child.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exited));
  await backing.destroy();
});

const startProcess = async (id: string) => {
  const server = await spawnServer({
    NODE_ID: id,
    DATA_DIR: tempDataDir(),
    REDIS_URL: backing.redis.url,
    DATABASE_URL: backing.pg.url,
    RECOVERY_WINDOW_MS: String(RECOVERY_WINDOW_MS),
  });
  processes.push(server);
  return server;
};

/** A client behind the balancer that reconnects (and so fails over) quickly. */
async function clientAs(url: string, nick: string): Promise<ChatClient> {
  const socket: ChatClient = io(`${url}/chat`, {
    forceNew: true,
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  const res = await socket.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error(res.error.code);
  expect(await socket.emitWithAck('room:join', ROOM)).toMatchObject({ ok: true });
  return socket;
}

test('kill -9 of a node: its clients resume on another with nothing missed; one left for the one that never returns', async () => {
  const [a, b] = [await startProcess('node-a'), await startProcess('node-b')];
  balancer = await startBalancer([a.url, b.url]); // everyone lands on node A while it lives
  const watcher = await chatAs(b.url, 'watcher');
  await watcher.emitWithAck('room:join', ROOM);
  const clients = await Promise.all(['ana', 'bea', 'cy'].map((nick) => clientAs(balancer!.url, nick)));
  const gone = await clientAs(balancer.url, 'gone');
  const presence = collect<Presence>(watcher, 'presence');
  const received = clients.map((client) => collect<Message>(client, 'message'));
  const recovered = clients.map(
    (client) => new Promise<boolean>((resolve) => client.once('connect', () => resolve(client.recovered))),
  );

  const sentIds: number[] = [];
  const send = async (text: string) => {
    const ack = await watcher.emitWithAck('message:send', { room: ROOM, text, clientId: text });
    if (!ack.ok) throw new Error(ack.error.code);
    sentIds.push(ack.id);
  };
  await send('before'); // every client now holds an offset in the stream to resume from
  for (const got of received) await expect.poll(() => got.length).toBe(1);
  const acked = await Promise.all(
    clients.map((client, i) =>
      client.emitWithAck('message:send', { room: ROOM, text: `own ${i}`, clientId: `own-${i}` }),
    ),
  );
  expect(acked.every((ack) => ack.ok)).toBe(true);
  for (const ack of acked) if (ack.ok) sentIds.push(ack.id);

  gone.io.reconnection(false); // this one never comes back
  const killedAt = Date.now();
  a.child.kill('SIGKILL');
  for (let i = 0; i < 5; i++) await send(`during ${i}`); // while A's clients are cut off

  expect(await Promise.all(recovered)).toEqual([true, true, true]);
  await send('after');
  for (const got of received) {
    await expect.poll(() => got.map((m) => m.id)).toEqual(sentIds);
  }
  // the survivor cleans up after A: one `left`, for the nick that never returned, within 10 s
  await expect
    .poll(() => presence.filter((p) => 'left' in p), { timeout: 12_000, interval: 100 })
    .toEqual([{ room: ROOM, left: 'gone', count: 4 }]);
  console.info(`dead node detected and cleaned up ${Date.now() - killedAt} ms after kill -9`);
  expect(await watcher.emitWithAck('room:members', ROOM)).toMatchObject({
    members: ['ana', 'bea', 'cy', 'watcher'],
  });
  // the recovered keep their nicks; the one that never returned frees it after the recovery window
  const thief = await chatAs(b.url, 'thief');
  expect(await thief.emitWithAck('nick:register', 'ana')).toMatchObject({ ok: false, error: { code: 'NICK_TAKEN' } });
  await expect
    .poll(async () => (await thief.emitWithAck('nick:register', 'gone')).ok, {
      timeout: RECOVERY_WINDOW_MS + 5000,
      interval: 500,
    })
    .toBe(true);
  await settle(watcher);
  expect(presence.filter((p) => 'left' in p)).toHaveLength(1);
}, 60_000);
