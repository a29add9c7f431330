import { expect, test } from 'vitest';
import type { Message, Presence } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, collect, settle } from '../helpers.js';
import { failoverClient, useProcessCluster } from './processes.js';

const RECOVERY_WINDOW_MS = 8000;
const ROOM = 'failover';

const cluster = useProcessCluster();
const startProcess = (id: string) => cluster.startProcess(id, { RECOVERY_WINDOW_MS: String(RECOVERY_WINDOW_MS) });
const clientAs = (url: string, nick: string) => failoverClient(url, nick, ROOM);

test('kill -9 of a node while clients behind nginx chat: they resume on another, nothing missed; one left for the one that never returns', async () => {
  const [a, b] = [await startProcess('node-a'), await startProcess('node-b')];
  const balancer = await cluster.balance([a, b]); // everyone lands on node A while it lives
  const watcher = await chatAs(b.url, 'watcher');
  await watcher.emitWithAck('room:join', ROOM);
  const clients = await Promise.all(['ana', 'bea', 'cy'].map((nick) => clientAs(balancer.url, nick)));
  const gone = await clientAs(balancer.url, 'gone');
  const sessionNodes = (list: ChatClient[]) => list.map((client) => client.io.engine.id.split('.')[0]);
  expect(sessionNodes([...clients, gone])).toEqual(Array(4).fill('node-a'));
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
  expect(sessionNodes(clients)).toEqual(Array(3).fill('node-b')); // nginx routes their new sids to B
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
