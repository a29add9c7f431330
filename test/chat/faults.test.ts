import { expect, test } from 'vitest';
import { io } from 'socket.io-client';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { chatAs, tempDataDir, useFreshServer } from '../helpers.js';

const server = useFreshServer();

test('a storage fault replies INTERNAL without details, and nothing is broadcast as if stored', async () => {
  const history = new SqliteHistory(SqliteDatabase.open(tempDataDir()));
  await server.restartWith({ history });
  const ana = await chatAs(server.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  let broadcasts = 0;
  ana.on('message', () => broadcasts++);
  await history.close(); // the database goes away under the running server
  const reply = await ana.emitWithAck('message:send', { room: 'lobby', text: 'lost?' });
  expect(reply).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  expect(await ana.emitWithAck('room:members', 'lobby')).toMatchObject({ ok: true }); // still serving
  expect(broadcasts).toBe(0);
});

test('a client starting on long-polling upgrades to WebSocket and keeps chatting', async () => {
  const socket = io(`${server.url}/chat`, { forceNew: true, reconnection: false, autoConnect: false });
  try {
    const upgraded = new Promise<string>((resolve) => {
      socket.io.once('open', () => {
        expect(socket.io.engine.transport.name).toBe('polling');
        socket.io.engine.once('upgrade', (transport: { name: string }) => resolve(transport.name));
      });
    });
    socket.connect();
    expect(await upgraded).toBe('websocket');
    expect(await socket.emitWithAck('nick:register', 'upgraded')).toMatchObject({ ok: true });
  } finally {
    socket.disconnect();
  }
});
