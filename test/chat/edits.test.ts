import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import type { Message, MessageDeleted, MessageUpdated } from '../../server/protocol/events.js';
import {
  type ChatClient,
  chatAs,
  collect,
  connectChat,
  disconnectAll,
  nextEvent,
  settle,
  startServer,
  type TestServer,
  useFreshServer,
} from '../helpers.js';
import { databaseFor, usePostgres } from '../pg/databases.js';

const server = useFreshServer();

async function send(socket: ChatClient, room: string, text: string): Promise<number> {
  const ack = await socket.emitWithAck('message:send', { room, text });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.id;
}

/** ana and bea in `lobby`; ana has sent one message. */
async function twoInLobby() {
  const ana = await chatAs(server.url, 'ana');
  const bea = await chatAs(server.url, 'bea');
  await ana.emitWithAck('room:join', 'lobby');
  await bea.emitWithAck('room:join', 'lobby');
  const id = await send(ana, 'lobby', 'helo wrold');
  return { ana, bea, id };
}

test('the author edits a message: everyone in the room gets message:updated, history has the new text', async () => {
  const { ana, bea, id } = await twoInLobby();
  const toBea = nextEvent<MessageUpdated>(bea, 'message:updated');
  const toAna = nextEvent<MessageUpdated>(ana, 'message:updated');
  const ack = await ana.emitWithAck('message:edit', { room: 'lobby', id, text: '  hello world ' });
  expect(ack).toEqual({ ok: true, id, editedAt: expect.any(Number) });
  if (!ack.ok) return;
  const update = { id, room: 'lobby', text: 'hello world', editedAt: ack.editedAt };
  expect(await toBea).toEqual(update);
  expect(await toAna).toEqual(update);

  const carl = await chatAs(server.url, 'carl');
  const joined = await carl.emitWithAck('room:join', 'lobby');
  expect(joined.ok && joined.history).toEqual([
    { id, room: 'lobby', nick: 'ana', text: 'hello world', ts: expect.any(Number), editedAt: ack.editedAt },
  ]);
  const page = await carl.emitWithAck('room:history', { room: 'lobby', before: id + 1 });
  expect(page.ok && page.messages[0]).toMatchObject({ text: 'hello world', editedAt: ack.editedAt });
});

test('the author deletes a message: message:deleted to the room, history keeps the id with no text', async () => {
  const { ana, bea, id } = await twoInLobby();
  const next = await send(bea, 'lobby', 'still here');
  const deletions = collect<MessageDeleted>(bea, 'message:deleted');
  expect(await ana.emitWithAck('message:delete', { room: 'lobby', id })).toEqual({ ok: true, id });
  await expect.poll(() => deletions).toEqual([{ id, room: 'lobby' }]);

  const history = await bea.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages).toEqual([
    { id, room: 'lobby', nick: 'ana', ts: expect.any(Number), deleted: true, text: '' },
    expect.objectContaining({ id: next, text: 'still here' }),
  ]);
  // a repeated delete (a retry after a lost ack) is ok and announces nothing again
  expect(await ana.emitWithAck('message:delete', { room: 'lobby', id })).toEqual({ ok: true, id });
  await settle(bea);
  expect(deletions).toHaveLength(1);
  expect(await ana.emitWithAck('message:edit', { room: 'lobby', id, text: 'back?' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
});

test('only the author may edit or delete a message, under whatever nick it now holds', async () => {
  const { ana, bea, id } = await twoInLobby();
  const updates = collect(ana, 'message:updated');
  for (const [event, payload] of [
    ['message:edit', { room: 'lobby', id, text: 'mine now' }],
    ['message:delete', { room: 'lobby', id }],
  ] as const) {
    expect(await bea.emitWithAck(event as 'message:edit', payload as never)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
  }
  expect(updates).toEqual([]);
  // The right follows the person (the session), not the nick: renamed, ana still edits her message.
  await ana.emitWithAck('nick:register', 'ana2');
  expect(await ana.emitWithAck('message:edit', { room: 'lobby', id, text: 'x' })).toMatchObject({ ok: true });
  const history = await bea.emitWithAck('room:history', { room: 'lobby' });
  expect(history.ok && history.messages[0]?.text).toBe('x');
});

test('edit and delete errors follow the contract order', async () => {
  const { ana, id } = await twoInLobby();
  const edit = (payload: unknown) => ana.emitWithAck('message:edit', payload as never);
  const code = async (reply: Promise<unknown>) => ((await reply) as { error?: { code: string } }).error?.code;
  expect(await code(edit({ room: 'lobby', id: '1', text: 'x' }))).toBe('BAD_REQUEST');
  expect(await code(edit({ room: 'lobby', id: 0, text: 'x' }))).toBe('BAD_REQUEST');
  expect(await code(edit({ room: 'lobby', text: 'x' }))).toBe('BAD_REQUEST');
  expect(await code(edit({ room: 'lobby', id, text: '   ' }))).toBe('MESSAGE_INVALID');
  expect(await code(edit({ room: 'lobby', id, text: 'x'.repeat(2001) }))).toBe('MESSAGE_INVALID');
  expect(await code(edit({ room: 'no room', id, text: 'x' }))).toBe('ROOM_INVALID');
  expect(await code(edit({ room: 'lobby', id: id + 1000, text: 'x' }))).toBe('NOT_FOUND');
  // an id that exists, but in another room
  await ana.emitWithAck('room:join', 'elsewhere');
  expect(await code(edit({ room: 'elsewhere', id, text: 'x' }))).toBe('NOT_FOUND');
  await ana.emitWithAck('room:leave', 'lobby');
  expect(await code(edit({ room: 'lobby', id, text: 'x' }))).toBe('NOT_IN_ROOM');
  expect(await code(ana.emitWithAck('message:delete', { room: 'lobby', id }))).toBe('NOT_IN_ROOM');
  const stranger = await connectChat(server.url);
  expect(await code(stranger.emitWithAck('message:delete', { room: 'lobby', id }))).toBe('NICK_REQUIRED');
});

test('a client whose connection drops gets the edits and deletes it missed on recovery', async () => {
  const reader = await connectChat(server.url, 'websocket', { reconnection: false });
  await reader.emitWithAck('nick:register', 'reader');
  await reader.emitWithAck('room:join', 'lobby');
  const writer = await chatAs(server.url, 'writer');
  await writer.emitWithAck('room:join', 'lobby');
  const got = collect<Message>(reader, 'message');
  const updates = collect<MessageUpdated>(reader, 'message:updated');
  const deletions = collect<MessageDeleted>(reader, 'message:deleted');
  const first = await send(writer, 'lobby', 'first');
  const second = await send(writer, 'lobby', 'second');
  await expect.poll(() => got.length).toBe(2);

  const dropped = new Promise((resolve) => reader.once('disconnect', resolve));
  reader.io.engine.close(); // a network drop: no disconnect packet
  await dropped;
  await writer.emitWithAck('message:edit', { room: 'lobby', id: first, text: 'first, edited' });
  await writer.emitWithAck('message:delete', { room: 'lobby', id: second });
  const back = new Promise<void>((resolve) => reader.once('connect', () => resolve()));
  reader.connect();
  await back;

  expect(reader.recovered).toBe(true);
  await expect.poll(() => updates.length + deletions.length).toBe(2);
  expect(updates).toEqual([{ id: first, room: 'lobby', text: 'first, edited', editedAt: expect.any(Number) }]);
  expect(deletions).toEqual([{ id: second, room: 'lobby' }]);
});

/** Rows whose stored text contains `needle`, read straight from the database behind a test server. */
async function storedTextsContaining(dataDir: string, needle: string): Promise<number> {
  if (usePostgres) {
    const client = new pg.Client({ connectionString: await databaseFor(dataDir) });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM messages WHERE text LIKE '%' || $1 || '%'",
        [needle],
      );
      return Number(rows[0]?.n);
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(dataDir, 'chat.db'), { readonly: true });
  try {
    return (
      db.prepare("SELECT count(*) AS n FROM messages WHERE text LIKE '%' || ? || '%'").get(needle) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

let own: TestServer | undefined;
afterEach(async () => {
  disconnectAll();
  await own?.close();
  own = undefined;
});

test('a deleted text is gone from the database file, and an edit survives a restart', async () => {
  own = await startServer();
  const ana = await chatAs(own.url, 'ana');
  await ana.emitWithAck('room:join', 'lobby');
  const secret = await send(ana, 'lobby', 'my password is hunter2');
  const typo = await send(ana, 'lobby', 'teh');
  await ana.emitWithAck('message:delete', { room: 'lobby', id: secret });
  const edited = await ana.emitWithAck('message:edit', { room: 'lobby', id: typo, text: 'the' });
  disconnectAll();
  await own.stop();

  expect(await storedTextsContaining(own.dataDir, 'hunter2')).toBe(0);
  own = await startServer({ dataDir: own.dataDir });
  const bea = await chatAs(own.url, 'bea');
  const joined = await bea.emitWithAck('room:join', 'lobby');
  expect(joined.ok && joined.history.map((m) => [m.id, m.text, m.deleted, m.editedAt])).toEqual([
    [secret, '', true, undefined],
    [typo, 'the', undefined, edited.ok && edited.editedAt],
  ]);
});
