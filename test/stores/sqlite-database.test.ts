import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SqliteNewsSequence } from '../../server/stores/news-sequence.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { type SqliteStores, openSqlite } from '../../server/stores/sqlite-stores.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SQLITE_MIGRATIONS } from '../../server/stores/sqlite-migrations.js';
import { tempDataDir } from '../helpers.js';
import { createOldDataDir } from './old-data-dir.js';

let dir: string;
let opened: SqliteStores | undefined;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(async () => {
  await opened?.close();
  opened = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function open(): SqliteStores {
  opened = openSqlite(dir);
  return opened;
}

/** A look at chat.db from a connection of its own. */
function inspect<T>(look: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'chat.db'), { fileMustExist: true });
  try {
    return look(db);
  } finally {
    db.close();
  }
}
const userVersion = () => inspect((db) => db.pragma('user_version', { simple: true }));

test('a data directory of the previous release opens with its messages, bans and news sequence in chat.db', async () => {
  createOldDataDir(dir, {
    chat: (db) => {
      db.exec(`INSERT INTO messages (room, nick, author, text, ts, client_id, edited_at) VALUES
        ('r', 'ana', 'sub:u-1', 'edited', 1, 'c1', 2), ('r', 'bea', 'guest:b', 'plain', 3, NULL, NULL)`);
      db.exec("INSERT INTO messages (room, nick, author, text, ts, deleted) VALUES ('r', 'ana', 'x', '', 4, 1)");
    },
    bans: (db) => {
      db.exec(`INSERT INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES
        ('r', 'eve', 'Eve', NULL, 'mod', 'spam'), ('r', 'max', 'Max', 99, 'mod', NULL)`);
    },
    news: (db) => db.exec("INSERT INTO news_seq (topic, seq) VALUES ('tech', 41), ('sports', 7)"),
  });
  const { history, bans, newsSequence } = open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  expect(await history.latest('r', 10)).toEqual([
    { id: 1, room: 'r', nick: 'ana', text: 'edited', ts: 1, clientId: 'c1', editedAt: 2, signed: true },
    { id: 2, room: 'r', nick: 'bea', text: 'plain', ts: 3 },
    { id: 3, room: 'r', nick: 'ana', text: '', ts: 4, deleted: true },
  ]);
  expect(await history.find('r', 2)).toMatchObject({ author: 'guest:b' });
  expect((await history.append({ room: 'r', nick: 'ana', author: 'sub:u-1', text: 'x', clientId: 'c1' })).isNew).toBe(
    false,
  );
  expect((await history.append({ room: 'r', nick: 'cid', author: 'guest:c', text: 'new' })).message.id).toBe(4);
  expect(await bans.active('r', 'eve', 0)).toEqual({
    room: 'r',
    nick: 'Eve',
    nickKey: 'eve',
    until: null,
    by: 'mod',
    reason: 'spam',
    at: expect.any(Number),
  });
  expect(await bans.active('r', 'max', 0)).toEqual({
    room: 'r',
    nick: 'Max',
    nickKey: 'max',
    until: 99,
    by: 'mod',
    at: expect.any(Number),
  });
  expect([await newsSequence.next('tech'), await newsSequence.next('sports'), await newsSequence.next('new')]).toEqual([
    42, 8, 1,
  ]);
  // The old files are left as they were; nothing reads them again.
  expect(existsSync(join(dir, 'bans.db')) && existsSync(join(dir, 'news.db'))).toBe(true);
  await opened!.close();
  writeFileSync(join(dir, 'bans.db'), 'not a database any more');
  expect(await open().bans.active('r', 'eve', 0)).toMatchObject({ reason: 'spam' });
});

test('the first release (no edits, authors or ban reasons yet) gains the columns and keeps its rows', async () => {
  createOldDataDir(dir, {
    beforeAddedColumns: true,
    chat: (db) => db.exec("INSERT INTO messages (room, nick, text, ts, client_id) VALUES ('r', 'ana', 'old', 1, 'c')"),
    bans: (db) =>
      db.exec("INSERT INTO bans (room, nick_key, nick, until, by_nick) VALUES ('r', 'eve', 'Eve', 99, 'mod')"),
  });
  const { history, bans } = open();
  expect(await history.find('r', 1)).toEqual({
    message: { id: 1, room: 'r', nick: 'ana', text: 'old', ts: 1, clientId: 'c' },
    author: undefined,
  });
  expect(await history.edit('r', 1, 'new', 5)).toBe(true);
  expect(await history.latest('r', 1)).toMatchObject([{ text: 'new', editedAt: 5 }]);
  expect(await bans.active('r', 'eve', 0)).toEqual({
    room: 'r',
    nick: 'Eve',
    nickKey: 'eve',
    until: 99,
    by: 'mod',
    at: expect.any(Number),
  });
});

test('bans only in the WAL of bans.db (the previous release killed before a checkpoint) are copied too', async () => {
  const crashed = tempDataDir();
  try {
    const db = new Database(join(crashed, 'bans.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE bans (room TEXT, nick_key TEXT, nick TEXT, until INTEGER, by_nick TEXT, reason TEXT)');
    db.exec("INSERT INTO bans VALUES ('r', 'eve', 'Eve', NULL, 'mod', 'late')");
    for (const suffix of ['', '-wal']) copyFileSync(join(crashed, `bans.db${suffix}`), join(dir, `bans.db${suffix}`));
    db.close();
  } finally {
    rmSync(crashed, { recursive: true, force: true });
  }
  expect(await open().bans.active('r', 'eve', 0)).toMatchObject({ reason: 'late' });
});

test('a new directory gets every table at once; opening it again migrates nothing', async () => {
  open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  const tables = () => inspect((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
  expect(tables()).toEqual(expect.arrayContaining(['messages', 'write_probe', 'bans', 'news_seq']));
  await opened!.close();
  const before = tables();
  open();
  expect(tables()).toEqual(before);
  expect(existsSync(join(dir, 'bans.db'))).toBe(false);
});

test('a migration that fails leaves the file as it was, and names itself', () => {
  writeFileSync(join(dir, 'bans.db'), 'this is not a database');
  expect(() => SqliteDatabase.open(dir)).toThrow(/^migration 4 \(bans \(copied from bans.db\)\): /);
  expect(userVersion()).toBe(0);
  expect(inspect((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all())).toEqual([]);
});

test('the stores share one connection, closed with the last of them; news leaves it at synchronous=FULL', async () => {
  const database = SqliteDatabase.open(dir);
  const history = new SqliteHistory(database);
  const news = new SqliteNewsSequence(database);
  expect(await news.next('tech')).toBe(1);
  expect(database.connection.pragma('synchronous', { simple: true })).toBe(2); // FULL, for the history's commits
  await news.close();
  expect(database.connection.open).toBe(true);
  await history.close();
  expect(database.connection.open).toBe(false);
});

test('of the writes queued in one turn, one that throws fails alone; the others are stored, with synchronous FULL again', async () => {
  const database = SqliteDatabase.open(dir);
  const release = database.retain();
  const insert = database.connection.prepare<[string, string, number]>(
    'INSERT INTO read_state (person, room, read_id) VALUES (?, ?, ?)',
  );
  const written = [
    database.writeSoonWithoutFsync(() => insert.run('ana', 'lobby', 1).changes),
    database.writeSoonWithoutFsync(() => {
      insert.run('bob', 'lobby', 1); // undone with the throw: its savepoint is rolled back
      return insert.run('ana', 'lobby', 2).changes; // the same key: a constraint violation
    }),
    database.writeSoonWithoutFsync(() => insert.run('cy', 'lobby', 3).changes),
  ];
  const [first, second, third] = await Promise.allSettled(written);
  expect(first).toEqual({ status: 'fulfilled', value: 1 });
  expect(second).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
  expect(third).toEqual({ status: 'fulfilled', value: 1 });
  expect(database.connection.pragma('synchronous', { simple: true })).toBe(2);
  release();
  expect(inspect((db) => db.prepare('SELECT person, read_id FROM read_state ORDER BY person').all())).toEqual([
    { person: 'ana', read_id: 1 },
    { person: 'cy', read_id: 3 },
  ]);
});

test('a chat.db of version 5 gains banned_at (its bans: the time of the upgrade) and an append-only audit_log', async () => {
  // Version 5 as that release made it: the entries of the list up to 5 never change.
  const old = new Database(join(dir, 'chat.db'));
  old.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS.slice(0, 5)) migration.up(old, dir);
    old.pragma('user_version = 5');
    old.exec(
      "INSERT INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES ('r', 'eve', 'Eve', NULL, 'mod', 'x')",
    );
  })();
  old.close();
  const upgradeStarted = Date.now();
  const { bans, audit } = open();
  const upgradeEnded = Date.now();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  const [ban] = await bans.list('r', Date.now());
  expect(ban).toMatchObject({ nick: 'Eve', reason: 'x', by: 'mod', until: null });
  expect(ban!.at).toBeGreaterThanOrEqual(upgradeStarted);
  expect(ban!.at).toBeLessThanOrEqual(upgradeEnded);
  await bans.ban(
    { room: 'r', nick: 'Max', nickKey: 'max', until: null, by: 'mod', at: 5 },
    { actor: 'admin-api', action: 'ban', room: 'r', target: 'Max', reason: null },
  );
  expect(await audit.entries(10)).toEqual([
    { id: 1, at: expect.any(Number), actor: 'admin-api', action: 'ban', room: 'r', target: 'Max', reason: null },
  ]);
  // Append-only in the file itself, whoever writes to it.
  inspect((db) => {
    expect(() => db.exec("UPDATE audit_log SET target = 'x'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_log')).toThrow(/append-only/);
  });
});

test('a chat.db of version 7 gains the conversations; a message already there is a last message', async () => {
  const old = new Database(join(dir, 'chat.db'));
  old.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS.slice(0, 7)) migration.up(old, dir);
    old.pragma('user_version = 7');
    old.exec("INSERT INTO messages (room, nick, author, text, ts) VALUES ('_dm-1', 'Ana', 'guest:a', 'hi', 5)");
  })();
  old.close();
  const { conversations, history } = open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  await conversations.create({ room: '_dm-1', kind: 'direct', title: '', createdAt: 1 }, [
    { person: 'guest:a', nick: 'Ana' },
  ]);
  const [listed] = await conversations.list('guest:a', false, 10);
  expect(listed!.lastMessage).toEqual((await history.latest('_dm-1', 1))[0]);
  // A membership goes with its conversation (ON DELETE CASCADE; the store itself never deletes one).
  inspect((db) => db.exec("DELETE FROM conversations WHERE room = '_dm-1'"));
  expect(await conversations.roomsOf('guest:a', 10)).toEqual([]);
});

test('a chat.db of version 8 gains read_state; a marker begins at a message already there', async () => {
  const old = new Database(join(dir, 'chat.db'));
  old.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS.slice(0, 8)) migration.up(old, dir);
    old.pragma('user_version = 8');
    old.exec("INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', NULL, 'hi @ana', 5)");
  })();
  old.close();
  const { readState, history } = open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  const ana = { person: 'guest:a', author: 'guest:a', nick: 'Ana' };
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 0, unread: 1, mentions: 1 }]);
  await readState.begin(ana.person, 'r');
  await history.append({ room: 'r', nick: 'Bea', author: 'guest:b', text: 'later' });
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 1, unread: 1, mentions: 0 }]);
});

test('a chat.db of version 9 gains the indexes that count unread messages', async () => {
  const old = new Database(join(dir, 'chat.db'));
  old.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS.slice(0, 9)) migration.up(old, dir);
    old.pragma('user_version = 9');
    old.exec("INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', 'guest:b', 'hi @ana', 5)");
  })();
  old.close();
  const { readState } = open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  const indexes = inspect((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all());
  expect(indexes).toEqual(expect.arrayContaining(['messages_unread', 'messages_with_at']));
  const ana = { person: 'guest:a', author: 'guest:a', nick: 'Ana' };
  expect(await readState.states(ana, ['r'])).toEqual([{ room: 'r', readId: 0, unread: 1, mentions: 1 }]);
});

test('a chat.db of the version before retention gains room_retention and the indexes that find old messages', async () => {
  const version = SQLITE_MIGRATIONS.findIndex((m) => m.name === 'room_retention, and messages by age');
  const old = new Database(join(dir, 'chat.db'));
  old.transaction(() => {
    for (const migration of SQLITE_MIGRATIONS.slice(0, version)) migration.up(old, dir);
    old.pragma(`user_version = ${version}`);
    old.exec("INSERT INTO messages (room, nick, author, text, ts) VALUES ('r', 'Bea', 'guest:b', 'old', 5)");
  })();
  old.close();
  const { retention, history } = open();
  expect(userVersion()).toBe(SQLITE_MIGRATIONS.length);
  const indexes = inspect((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all());
  expect(indexes).toEqual(expect.arrayContaining(['messages_ts', 'messages_room_ts']));
  expect(await retention.overrides()).toEqual(new Map());
  expect(await retention.purge({ roomsWithoutOverride: true, before: 6 }, 10)).toBe(1);
  expect(await history.latest('r', 10)).toEqual([]);
});
