import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteMigration {
  /** What it adds, for error messages and docs/architecture.md. */
  name: string;
  /** Runs inside the migration's transaction; `dataDir` is where files of earlier releases may be. */
  up(db: Database.Database, dataDir: string): void;
}

/**
 * A column added to a table that earlier releases created before versions were recorded: such a file has
 * `user_version` 0 and may have the column already.
 */
function addColumn(db: Database.Database, table: string, column: string, type: string): void {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
  if (!columns.includes(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

/**
 * Earlier releases kept bans and the news sequence in files of their own: their rows are copied into chat.db once, and the
 * old file is left as it was (nothing reads it any more). A column the old file lacks is left to its default.
 */
function importRows(db: Database.Database, file: string, table: string, columns: string[]): void {
  if (!existsSync(file)) return;
  const old = new Database(file, { fileMustExist: true, timeout: 5000 }); // read-write: it may have a WAL to apply
  try {
    const present = new Set((old.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
    const copied = columns.filter((c) => present.has(c));
    if (copied.length === 0) return;
    const insert = db.prepare(
      `INSERT INTO ${table} (${copied.join(', ')}) VALUES (${copied.map((c) => `@${c}`).join(', ')})`,
    );
    for (const row of old.prepare(`SELECT ${copied.join(', ')} FROM ${table}`).iterate()) insert.run(row);
  } finally {
    old.close();
  }
}

/**
 * Every table of `DATA_DIR/chat.db`, in the order it was added; `PRAGMA user_version` is the number applied.
 * Append only: never edit an entry that has shipped. Entries 1–3 tolerate a file of an earlier release, which made those
 * tables and columns without recording a version.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    name: 'messages',
    up: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          room TEXT NOT NULL,
          nick TEXT NOT NULL,
          text TEXT NOT NULL,
          ts INTEGER NOT NULL,
          client_id TEXT
        );
        CREATE INDEX IF NOT EXISTS messages_room_id ON messages (room, id);
        CREATE UNIQUE INDEX IF NOT EXISTS messages_nick_client_id ON messages (nick, client_id)
          WHERE client_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS write_probe (data BLOB);
      `),
  },
  {
    name: 'messages: edits and deletes',
    up: (db) => {
      addColumn(db, 'messages', 'edited_at', 'INTEGER');
      addColumn(db, 'messages', 'deleted', 'INTEGER NOT NULL DEFAULT 0');
    },
  },
  { name: 'messages: author', up: (db) => addColumn(db, 'messages', 'author', 'TEXT') },
  {
    name: 'bans (copied from bans.db)',
    up: (db, dataDir) => {
      db.exec(`
        CREATE TABLE bans (
          room TEXT NOT NULL,
          nick_key TEXT NOT NULL,
          nick TEXT NOT NULL,
          until INTEGER,
          by_nick TEXT NOT NULL,
          reason TEXT,
          PRIMARY KEY (room, nick_key)
        );
      `);
      importRows(db, join(dataDir, 'bans.db'), 'bans', ['room', 'nick_key', 'nick', 'until', 'by_nick', 'reason']);
    },
  },
  {
    name: 'news_seq (copied from news.db)',
    up: (db, dataDir) => {
      db.exec('CREATE TABLE news_seq (topic TEXT PRIMARY KEY, seq INTEGER NOT NULL)');
      importRows(db, join(dataDir, 'news.db'), 'news_seq', ['topic', 'seq']);
    },
  },
  {
    // SQLite cannot add a column whose default is the time, so bans made before get the time of the upgrade.
    name: 'bans: banned_at',
    up: (db) => {
      db.exec('ALTER TABLE bans ADD COLUMN banned_at INTEGER NOT NULL DEFAULT 0');
      db.prepare('UPDATE bans SET banned_at = ?').run(Date.now());
    },
  },
  {
    name: 'audit_log',
    up: (db) =>
      db.exec(`
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          actor_kind TEXT NOT NULL,
          actor_nick TEXT,
          actor_sub TEXT,
          action TEXT NOT NULL,
          room TEXT,
          target TEXT NOT NULL,
          reason TEXT
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      `),
  },
  {
    // granted is 0/1: SQLite has no boolean. better-sqlite3 enforces foreign keys by default.
    name: 'conversations and conversation_members',
    up: (db) =>
      db.exec(`
        CREATE TABLE conversations (
          room TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          owner TEXT,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX conversations_kind ON conversations (kind);
        CREATE TABLE conversation_members (
          room TEXT NOT NULL REFERENCES conversations (room) ON DELETE CASCADE,
          person TEXT NOT NULL,
          nick TEXT NOT NULL,
          granted INTEGER NOT NULL DEFAULT 0,
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (room, person)
        );
        CREATE INDEX conversation_members_person ON conversation_members (person);
      `),
  },
  {
    // Markers only: the counts are computed from messages, so a delete or an edit needs no change here.
    name: 'read_state',
    up: (db) =>
      db.exec(`
        CREATE TABLE read_state (
          person TEXT NOT NULL,
          room TEXT NOT NULL,
          read_id INTEGER NOT NULL,
          PRIMARY KEY (person, room)
        );
      `),
  },
  {
    // They keep the unread counts off the table (sqlite-read-state.ts): the unread messages of a room are counted in
    // messages_unread alone, and only those with an `@` are read for their text.
    name: 'messages: indexes to count unread messages',
    up: (db) =>
      db.exec(`
        CREATE INDEX messages_unread ON messages (room, id, author) WHERE deleted = 0;
        CREATE INDEX messages_with_at ON messages (room, id) WHERE instr(text, '@') > 0;
      `),
  },
  {
    // 11. One report per person and message (UNIQUE); `author` is the message's author key, never sent.
    name: 'reports',
    up: (db) =>
      db.exec(`
        CREATE TABLE reports (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          room TEXT NOT NULL,
          message_id INTEGER NOT NULL,
          author_nick TEXT NOT NULL,
          author TEXT,
          reporter_person TEXT NOT NULL,
          reporter_nick TEXT NOT NULL,
          reason TEXT NOT NULL,
          at INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'open',
          resolved_at INTEGER,
          resolved_by TEXT,
          UNIQUE (message_id, reporter_person)
        );
        CREATE INDEX reports_state ON reports (state, id);
      `),
  },
  {
    // Migration 12. The two indexes find what the retention sweep purges (sqlite-retention.ts) without a scan:
    // messages_ts for every room on RETENTION_DAYS, messages_room_ts for a room with an override.
    name: 'room_retention, and messages by age',
    up: (db) =>
      db.exec(`
        CREATE TABLE room_retention (
          room TEXT PRIMARY KEY,
          days INTEGER NOT NULL CHECK (days >= 0)
        );
        CREATE INDEX messages_ts ON messages (ts);
        CREATE INDEX messages_room_ts ON messages (room, ts);
      `),
  },
];
