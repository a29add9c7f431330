import { expect, test } from 'vitest';
import { LOOPBACK_CLIENT_LIMITS, chatAs, connectChat, useFreshServer } from '../helpers.js';
import { MAX_SOCKETS_PER_SESSION } from '../../server/protocol/limits.js';

const server = useFreshServer();

async function tokenOf(url: string, nick: string) {
  const socket = await connectChat(url);
  const res = await socket.emitWithAck('nick:register', nick);
  if (!res.ok) throw new Error('register failed');
  return { socket, token: res.token };
}

test('the socket past MAX_SOCKETS_PER_SESSION is refused at the handshake with LIMIT_EXCEEDED', async () => {
  const { socket: first, token } = await tokenOf(server.url, 'tabs');
  // All at once: the store checks and attaches in one step, so none slips past the cap.
  const attempts = await Promise.allSettled(
    Array.from({ length: MAX_SOCKETS_PER_SESSION + 1 }, () =>
      connectChat(server.url, 'websocket', { auth: { token } }),
    ),
  );
  const refused = attempts.filter((a) => a.status === 'rejected');
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(MAX_SOCKETS_PER_SESSION - 1);
  expect(refused).toHaveLength(2);
  for (const r of refused) expect(r.reason).toMatchObject({ data: { code: 'LIMIT_EXCEEDED' } });
  // A place that frees up can be taken again.
  first.disconnect();
  await expect
    .poll(() =>
      connectChat(server.url, 'polling', { auth: { token } }).then(
        () => true,
        () => false,
      ),
    )
    .toBe(true);
});

test('another session, or a guest, is not affected by a full session', async () => {
  const { token } = await tokenOf(server.url, 'full');
  for (let i = 1; i < MAX_SOCKETS_PER_SESSION; i++) await connectChat(server.url, 'websocket', { auth: { token } });
  await expect(connectChat(server.url, 'websocket', { auth: { token } })).rejects.toMatchObject({
    data: { code: 'LIMIT_EXCEEDED' },
  });
  await chatAs(server.url, 'other');
});

test('past MAX_ROOMS_PER_SESSION the next room:join answers LIMIT_EXCEEDED, for every tab of the session', async () => {
  await server.restartWith({ clientLimits: { ...LOOPBACK_CLIENT_LIMITS, maxRoomsPerSession: 3 } });
  const { socket: tab1, token } = await tokenOf(server.url, 'roamer');
  const tab2 = await connectChat(server.url, 'websocket', { auth: { token } });
  for (const room of ['a', 'b']) expect(await tab1.emitWithAck('room:join', room)).toMatchObject({ ok: true });
  expect(await tab2.emitWithAck('room:join', 'c')).toMatchObject({ ok: true });
  expect(await tab1.emitWithAck('room:join', 'd')).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
  expect(await tab2.emitWithAck('room:join', 'd')).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
  // A room the session is in already adds nothing; leaving one makes room.
  expect(await tab2.emitWithAck('room:join', 'a')).toMatchObject({ ok: true });
  expect(await tab1.emitWithAck('room:leave', 'b')).toMatchObject({ ok: true });
  expect(await tab1.emitWithAck('room:join', 'd')).toMatchObject({ ok: true });
  // Another session has its own rooms.
  const other = await chatAs(server.url, 'homebody');
  expect(await other.emitWithAck('room:join', 'e')).toMatchObject({ ok: true });
});
