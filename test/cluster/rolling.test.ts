import { expect, test } from 'vitest';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, collect } from '../helpers.js';
import { failoverClient as clientAs, useProcessCluster } from './processes.js';

const cluster = useProcessCluster();
const startProcess = (id: string) => cluster.startProcess(id);

const code = (res: { ok: boolean; error?: { code: string } }) => (res.ok ? 'ok' : res.error?.code);

test('SIGTERM (rolling restart) cuts the clients: nicks are kept, they resume on another node', async () => {
  const [a, b] = [await startProcess('roll-a'), await startProcess('roll-b')];
  const balancer = await cluster.balance([a, b]);
  const watcher = await chatAs(b.url, 'watcher');
  await watcher.emitWithAck('room:join', 'roll');
  const client = await clientAs(balancer.url, 'roller', 'roll');
  const got = collect<Message>(client, 'message');
  await watcher.emitWithAck('message:send', { room: 'roll', text: 'first' });
  await expect.poll(() => got.length).toBe(1);

  client.io.reconnection(false); // so that the nick is checked while the client is away
  a.child.kill('SIGTERM');
  expect(await a.exited).toMatchObject({ code: 0 });
  const thief = await chatAs(b.url, 'thief');
  expect(code(await thief.emitWithAck('nick:register', 'roller'))).toBe('NICK_TAKEN');
  await watcher.emitWithAck('message:send', { room: 'roll', text: 'while away' });

  const back = new Promise<boolean>((resolve) => client.once('connect', () => resolve(client.recovered)));
  client.connect();
  expect(await back).toBe(true);
  await expect.poll(() => got.map((m) => m.text)).toEqual(['first', 'while away']);
  expect(await client.emitWithAck('room:members', 'roll')).toMatchObject({ members: ['roller', 'watcher'] });
}, 60_000);

test('a node paused past its lease drops its connections before handling what they sent; clients come back', async () => {
  const [a, b] = [await startProcess('pause-a'), await startProcess('pause-b')];
  const balancer = await cluster.balance([a, b]);
  const client = await clientAs(balancer.url, 'sleeper', 'nap');
  const token = (await client.emitWithAck('nick:register', 'sleeper')).ok;
  expect(token).toBe(true);
  const watcher = await chatAs(b.url, 'nap-watcher');
  await watcher.emitWithAck('room:join', 'nap');
  const dropped = new Promise<string>((resolve) => client.once('disconnect', resolve));

  a.child.kill('SIGSTOP');
  // Sent while A sleeps: it waits in A's socket buffer. A must not handle it on waking, after it was reaped.
  client.emit('message:send', { room: 'nap', text: 'during the pause', clientId: 'pause-1' }, () => undefined);
  // the survivor presumes it dead and cleans up: sleeper leaves the room (sessions keep their grace)
  await expect
    .poll(
      async () =>
        (await watcher.emitWithAck('room:members', 'nap')).ok && (await watcher.emitWithAck('room:members', 'nap')),
      {
        timeout: 15_000,
        interval: 500,
      },
    )
    .toMatchObject({ members: ['nap-watcher'] });
  a.child.kill('SIGCONT');
  expect(await dropped).toBe('transport close'); // A found its lease lost and cut its clients
  await expect
    .poll(async () => code(await chatAs(b.url, 'x').then((x) => x.emitWithAck('nick:register', 'sleeper'))), {
      timeout: 5000,
    })
    .toBe('NICK_TAKEN');
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
  expect(await client.emitWithAck('message:send', { room: 'nap', text: 'after', clientId: 'pause-2' })).toMatchObject({
    ok: true,
  });
  const history = await watcher.emitWithAck('room:history', { room: 'nap' });
  expect(history.ok && history.messages.map((m) => m.text)).toEqual(['after']);
}, 60_000);
