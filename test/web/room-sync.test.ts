import { afterEach, expect, test } from 'vitest';
import { type TestServer, chatAs, disconnectAll, startServer, tempDataDir } from '../helpers.js';
import { RoomState } from '../../web/chat/room-state.js';
import { fetchOlder, joinAndCatchUp } from '../../web/chat/room-sync.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';

let server: TestServer;
afterEach(async () => {
  disconnectAll();
  await server.close();
});

async function serverWith(count: number): Promise<TestServer> {
  const dataDir = tempDataDir();
  const history = new SqliteHistory(SqliteDatabase.open(dataDir));
  for (let i = 1; i <= count; i++) await history.append({ room: 'lobby', nick: 'bea', author: 'bea', text: `m${i}` });
  return startServer({ history, dataDir });
}

const ids = (room: RoomState) => room.timeline.flatMap((item) => (item.kind === 'message' ? [item.message.id] : []));

test('a rejoin after a long outage pages through room:history { after } and fills the gap exactly', async () => {
  server = await serverWith(180);
  const socket = await chatAs(server.url, 'ana');
  const room = new RoomState('lobby');
  room.addMessages([{ id: 5, room: 'lobby', nick: 'bea', text: 'm5', ts: 0 }]); // last seen before the outage
  expect(await joinAndCatchUp(socket, room)).toMatchObject({ added: 175 });
  expect(ids(room)).toEqual(Array.from({ length: 176 }, (_, i) => i + 5));
});

test('a short gap is filled from the join reply alone, and nothing is added twice', async () => {
  server = await serverWith(30);
  const socket = await chatAs(server.url, 'ana');
  const room = new RoomState('lobby');
  room.addMessages([{ id: 28, room: 'lobby', nick: 'bea', text: 'm28', ts: 0 }]);
  expect(await joinAndCatchUp(socket, room)).toMatchObject({ added: 2 });
  expect(ids(room)).toEqual([28, 29, 30]);
});

test('a first join takes the latest page; scrolling up fetches older pages until the beginning', async () => {
  server = await serverWith(120);
  const socket = await chatAs(server.url, 'ana');
  const room = new RoomState('lobby');
  expect(await joinAndCatchUp(socket, room)).toMatchObject({ added: 50 });
  expect(room.hasOlder).toBe(true);
  await fetchOlder(socket, room);
  await fetchOlder(socket, room);
  expect(ids(room)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  expect(room.hasOlder).toBe(false);
});
