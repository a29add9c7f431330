import pg from 'pg';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type PostgresStores, openPostgres } from '../../server/stores/pg-stores.js';
import { PgDatabase, withReadTimeout } from '../../server/stores/pg-database.js';
import { LOCK_CLASS, MIGRATION_LOCK, PG_MIGRATIONS } from '../../server/stores/pg-migrations.js';
import { freshDatabase } from './databases.js';
import { createOldSchema } from './old-schema.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let opened: PostgresStores[] = [];
beforeEach(async () => {
  db = await freshDatabase('migrate');
});
afterEach(async () => {
  await Promise.all(opened.map((stores) => stores.close()));
  opened = [];
  await db.drop();
});

async function open(): Promise<PostgresStores> {
  const stores = await openPostgres(db.url);
  opened.push(stores);
  return stores;
}

async function sql<T>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

const versions = async () =>
  (await sql<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).map((r) => r.version);
const everyVersion = PG_MIGRATIONS.map((_, i) => i + 1);

/** The database as a release at schema `version` left it (the list's entries up to it never change), then `seed`. */
async function databaseAt(version: number, seed: string): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('CREATE TABLE schema_version (version int NOT NULL)');
    for (const [i, migration] of PG_MIGRATIONS.slice(0, version).entries()) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [i + 1]);
    }
    await client.query(seed);
  } finally {
    await client.end();
  }
}

test('two nodes opening one empty database at once both start; each migration ran once', async () => {
  const [a, b] = await Promise.all([open(), open()]);
  expect(await versions()).toEqual(everyVersion);
  const { message } = await a.history.append({ room: 'r', nick: 'ana', author: 'guest:a', text: 'hi' });
  expect(await b.history.latest('r', 10)).toEqual([message]);
  await b.bans.ban({ room: 'r', nick: 'Eve', nickKey: 'eve', until: null, by: 'mod', reason: 'spam', at: 1 });
  expect(await a.bans.active('r', 'eve', Date.now())).toMatchObject({ reason: 'spam' });
});

test('a database of the previous release (history at version 3, bans with reason) keeps its rows and takes new ones', async () => {
  await createOldSchema(db.url, { historyVersion: 3, bans: 'with reason' }, async (client) => {
    await client.query(`INSERT INTO messages (room, nick, author, text, ts, client_id, edited_at) VALUES
      ('r', 'ana', 'sub:u-1', 'edited', 1, 'c1', 2), ('r', 'bea', 'guest:b', 'plain', 3, NULL, NULL)`);
    await client.query(
      "INSERT INTO messages (room, nick, author, text, ts, deleted) VALUES ('r', 'ana', 'x', '', 4, true)",
    );
    await client.query(
      "INSERT INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES ('r', 'eve', 'Eve', NULL, 'mod', 'spam')",
    );
  });
  const { history, bans } = await open();
  expect(await versions()).toEqual(everyVersion);
  expect(await history.latest('r', 10)).toEqual([
    { id: 1, room: 'r', nick: 'ana', text: 'edited', ts: 1, clientId: 'c1', editedAt: 2, signed: true },
    { id: 2, room: 'r', nick: 'bea', text: 'plain', ts: 3 },
    { id: 3, room: 'r', nick: 'ana', text: '', ts: 4, deleted: true },
  ]);
  expect(await history.find('r', 2)).toMatchObject({ author: 'guest:b' });
  // The id sequence goes on where it was (a repeated clientId below draws an id too, so it comes second).
  expect((await history.append({ room: 'r', nick: 'cid', author: 'guest:c', text: 'new' })).message.id).toBe(4);
  expect(
    await history.append({ room: 'r', nick: 'ana', author: 'sub:u-1', text: 'edited', clientId: 'c1' }),
  ).toMatchObject({ isNew: false, message: { id: 1 } });
  expect(await bans.active('r', 'eve', Date.now())).toEqual({
    room: 'r',
    nick: 'Eve',
    nickKey: 'eve',
    until: null,
    by: 'mod',
    reason: 'spam',
    at: expect.any(Number),
  });
});

test('an older one (history at version 2, bans before reasons) gains the columns and keeps its rows', async () => {
  await createOldSchema(db.url, { historyVersion: 2, bans: 'without reason' }, async (client) => {
    await client.query("INSERT INTO messages (room, nick, text, ts) VALUES ('r', 'ana', 'old', 1)");
    await client.query("INSERT INTO bans (room, nick_key, nick, until, by_nick) VALUES ('r', 'eve', 'Eve', 99, 'mod')");
  });
  const { history, bans } = await open();
  expect(await versions()).toEqual(everyVersion);
  expect(await history.find('r', 1)).toEqual({
    message: { id: 1, room: 'r', nick: 'ana', text: 'old', ts: 1 },
    author: undefined,
  });
  expect(await bans.active('r', 'eve', 0)).toEqual({
    room: 'r',
    nick: 'Eve',
    nickKey: 'eve',
    until: 99,
    by: 'mod',
    at: expect.any(Number),
  });
  await bans.ban({ room: 'r', nick: 'Eve', nickKey: 'eve', until: null, by: 'mod', reason: 'again', at: 1 });
  expect(await bans.active('r', 'eve', 0)).toMatchObject({ reason: 'again' });
});

test('a database where only the ban store was ever opened gets the history too', async () => {
  await createOldSchema(db.url, { historyVersion: 0, bans: 'with reason' }, async (client) => {
    await client.query(
      "INSERT INTO bans (room, nick_key, nick, until, by_nick) VALUES ('r', 'eve', 'Eve', NULL, 'mod')",
    );
  });
  const { history, bans } = await open();
  expect(await versions()).toEqual(everyVersion);
  expect(await bans.active('r', 'eve', 0)).toMatchObject({ nick: 'Eve' });
  expect(await history.append({ room: 'r', nick: 'ana', author: 'guest:a', text: 'first' })).toMatchObject({
    isNew: true,
  });
});

test('a migration that fails leaves the schema as it was, and names itself', async () => {
  // Version 1 recorded, but a column of version 2 already there: its ALTER TABLE fails.
  await createOldSchema(db.url, { historyVersion: 1, bans: 'none' }, async (client) => {
    await client.query('ALTER TABLE messages ADD COLUMN edited_at bigint');
  });
  await expect(openPostgres(db.url)).rejects.toThrow(/^migration 2 \(messages: edits and deletes\): .*edited_at/);
  expect(await versions()).toEqual([1]);
  expect(await sql("SELECT 1 FROM information_schema.tables WHERE table_name = 'bans'")).toEqual([]);
});

test('a database of version 5 gains banned_at (old bans: the upgrade; old writers: the insert) and audit_log', async () => {
  await databaseAt(
    5,
    "INSERT INTO bans (room, nick_key, nick, until, by_nick) VALUES ('r', 'eve', 'Eve', NULL, 'mod')",
  );
  const upgradeStarted = Date.now();
  const { bans, audit } = await open();
  const upgradeEnded = Date.now();
  expect(await versions()).toEqual(everyVersion);
  const [eve] = await bans.list('r', Date.now());
  expect(eve!.at).toBeGreaterThanOrEqual(upgradeStarted);
  expect(eve!.at).toBeLessThanOrEqual(upgradeEnded);
  // A node of the previous release, still running during a rolling upgrade, writes bans without the column.
  const insertedFrom = Date.now();
  await sql("INSERT INTO bans (room, nick_key, nick, until, by_nick) VALUES ('r', 'max', 'Max', NULL, 'mod')");
  const max = await bans.active('r', 'max', Date.now());
  expect(max!.at).toBeGreaterThanOrEqual(insertedFrom);
  expect(max!.at).toBeLessThanOrEqual(Date.now());
  await bans.unban('r', 'max', {
    actor: { nick: 'Mod', sub: 'm-1' },
    action: 'unban',
    room: 'r',
    target: 'Max',
    reason: null,
  });
  expect(await audit.entries(10)).toEqual([
    {
      id: 1,
      at: expect.any(Number),
      actor: { nick: 'Mod', sub: 'm-1' },
      action: 'unban',
      room: 'r',
      target: 'Max',
      reason: null,
    },
  ]);
  await expect(sql("UPDATE audit_log SET target = 'x'")).rejects.toThrow(/append-only/);
  await expect(sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
});

test('a database of version 7 gains the conversations; a message already there is a last message', async () => {
  await databaseAt(
    7,
    "INSERT INTO messages (room, nick, author, text, ts) VALUES ('_dm-1', 'Ana', 'guest:a', 'hi', 5)",
  );
  const { conversations, history } = await open();
  expect(await versions()).toEqual(everyVersion);
  await conversations.create({ room: '_dm-1', kind: 'direct', title: '', createdAt: 1 }, [
    { person: 'guest:a', nick: 'Ana' },
  ]);
  const [listed] = await conversations.list('guest:a', false, 10);
  expect(listed!.lastMessage).toEqual((await history.latest('_dm-1', 1))[0]);
  // A membership goes with its conversation (ON DELETE CASCADE; the store itself never deletes one).
  await sql("DELETE FROM conversations WHERE room = '_dm-1'");
  expect(await conversations.roomsOf('guest:a', 10)).toEqual([]);
});

test('a database of version 8 gains read_state; a marker begins at a message already there', async () => {
  await databaseAt(8, "INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', NULL, 'hi @ana', 5)");
  const { readState, history } = await open();
  expect(await versions()).toEqual(everyVersion);
  const ana = { person: 'guest:a', author: 'guest:a', nick: 'Ana' };
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 0, unread: 1, mentions: 1 }]);
  await readState.begin(ana.person, 'r');
  await history.append({ room: 'r', nick: 'Bea', author: 'guest:b', text: 'later' });
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 1, unread: 1, mentions: 0 }]);
});

test("the pool's sessions run without JIT, which costs a short statement more than it saves", async () => {
  const database = await PgDatabase.open(db.url);
  const release = database.retain();
  try {
    const { rows } = await database.pool.query<{ jit: string }>('SHOW jit');
    expect(rows[0]!.jit).toBe('off');
  } finally {
    await release();
  }
});

test("the migration runs on the pool's first connection without its timeouts: it may wait for another node's", async () => {
  await open(); // the schema exists; what is left is the lock
  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]); // a node migrating
    const opening = PgDatabase.open(db.url, { statementTimeoutMs: 200 }); // the pool gives up on a query at 1.2 s
    opening.catch(() => {}); // awaited below
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await other.query('COMMIT');
    const database = await opening;
    const release = database.retain();
    await expect(database.pool.query('SELECT pg_sleep(0.5)')).rejects.toThrow(/statement timeout/);
    await release();
  } finally {
    await other.end();
  }
});

test("node-postgres still reads query_timeout from a query's config (pg is pinned; withReadTimeout relies on it)", async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await expect(client.query(withReadTimeout({ text: 'SELECT pg_sleep(1)' }, 100))).rejects.toThrow(/timeout/);
  } finally {
    await client.end();
  }
});

test('a database of version 9 gains the indexes that count unread messages', async () => {
  await databaseAt(
    9,
    "INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', 'guest:b', 'hi @ana', 5)",
  );
  const { readState } = await open();
  expect(await versions()).toEqual(everyVersion);
  const indexes = await sql<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'messages'");
  expect(indexes.map((row) => row.indexname)).toEqual(expect.arrayContaining(['messages_unread', 'messages_with_at']));
  const ana = { person: 'guest:a', author: 'guest:a', nick: 'Ana' };
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 0, unread: 1, mentions: 1 }]);
});

test('a database of the version before retention gains room_retention and the indexes that find old messages', async () => {
  const version = PG_MIGRATIONS.findIndex((m) => m.name === 'room_retention, and messages by age');
  await databaseAt(
    version,
    "INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', 'guest:b', 'old', 5)",
  );
  const { retention, history } = await open();
  expect(await versions()).toEqual(everyVersion);
  const indexes = await sql<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'messages'");
  expect(indexes.map((row) => row.indexname)).toEqual(expect.arrayContaining(['messages_ts', 'messages_room_ts']));
  expect(await retention.overrides()).toEqual(new Map());
  expect(await retention.purge({ roomsWithoutOverride: true, before: 6 }, 10)).toBe(1);
  expect(await history.latest('r', 10)).toEqual([]);
});

test('a database of the version before append_messages stores batches with it, a stored clientId once', async () => {
  const version = PG_MIGRATIONS.findIndex((m) => m.name.startsWith('append_messages'));
  await databaseAt(
    version,
    "INSERT INTO messages (id, room, nick, author, text, ts, client_id) VALUES (nextval('messages_id_seq'), 'r', 'ana', 'guest:a', 'first', 5, 'c1')",
  );
  const { history } = await open();
  expect(await versions()).toEqual(everyVersion);
  // A repeat of the stored clientId goes alone (the first append starts a transaction); the other three share the
  // next one: two new messages in two rooms, and a repeat of one of them inside the batch.
  const results = await Promise.all([
    history.append({ room: 'r', nick: 'ana', author: 'guest:a', text: 'first again', clientId: 'c1' }),
    history.append({ room: 's', nick: 'bea', author: 'guest:b', text: 'second', clientId: 'c2' }),
    history.append({ room: 'r', nick: 'cy', author: 'guest:c', text: 'third' }),
    history.append({ room: 's', nick: 'bea', author: 'guest:b', text: 'second again', clientId: 'c2' }),
  ]);
  expect(results.map((r) => [r.message.text, r.isNew])).toEqual([
    ['first', false],
    ['second', true],
    ['third', true],
    ['second', false],
  ]);
  expect(results[2].message.id).toBeGreaterThan(results[1].message.id);
  expect(results[1].message.id).toBeGreaterThan(results[0].message.id);
  expect((await history.latest('r', 10)).map((m) => m.text)).toEqual(['first', 'third']);
});
