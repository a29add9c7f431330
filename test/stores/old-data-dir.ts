import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * What the release before the migration list made in a data directory, as it did it: three files, tables created at every start without a recorded
 * version, columns added when missing (sqlite-history.ts, sqlite-bans.ts, news-sequence.ts). Copied verbatim;
 * never update it.
 */
const CHAT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    nick TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    client_id TEXT
  );
  CREATE INDEX IF NOT EXISTS messages_room_id ON messages (room, id);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_nick_client_id ON messages (nick, client_id) WHERE client_id IS NOT NULL;
  CREATE TABLE IF NOT EXISTS write_probe (data BLOB);
`;
const ADDED_COLUMNS = {
  edited_at: 'ALTER TABLE messages ADD COLUMN edited_at INTEGER',
  deleted: 'ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0',
  author: 'ALTER TABLE messages ADD COLUMN author TEXT',
};
const BANS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS bans (
    room TEXT NOT NULL,
    nick_key TEXT NOT NULL,
    nick TEXT NOT NULL,
    until INTEGER,
    by_nick TEXT NOT NULL,
    PRIMARY KEY (room, nick_key)
  );
`;

export interface OldDataDir {
  /** The release before edits, authors and ban reasons: only the first tables, no added columns. */
  beforeAddedColumns?: boolean;
  chat?: (db: Database.Database) => void;
  bans?: (db: Database.Database) => void;
  news?: (db: Database.Database) => void;
}

function file(path: string, synchronous: string, schema: () => string[], seed?: (db: Database.Database) => void) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  for (const sql of schema()) db.exec(sql);
  seed?.(db);
  db.close();
}

/** Makes `chat.db`, `bans.db` and `news.db` in `dataDir` as that release did, each seeded by its callback. */
export function createOldDataDir(dataDir: string, old: OldDataDir): void {
  const added = (all: string[]) => (old.beforeAddedColumns ? [] : all);
  file(join(dataDir, 'chat.db'), 'FULL', () => [CHAT_SCHEMA, ...added(Object.values(ADDED_COLUMNS))], old.chat);
  file(
    join(dataDir, 'bans.db'),
    'FULL',
    () => [BANS_SCHEMA, ...added(['ALTER TABLE bans ADD COLUMN reason TEXT'])],
    old.bans,
  );
  file(
    join(dataDir, 'news.db'),
    'NORMAL',
    () => ['CREATE TABLE IF NOT EXISTS news_seq (topic TEXT PRIMARY KEY, seq INTEGER NOT NULL)'],
    old.news,
  );
}
