import type Database from 'better-sqlite3';
import { mentionsNick } from '../protocol/mentions.js';
import type { Reader, ReadStateStore, RoomReadState } from './read-state.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface CountParams {
  room: string;
  readId: number;
  author: string;
  nick: string;
}

/** 0/1: SQLite has no boolean. */
const mentionsNickInSql = (text: unknown, nick: unknown): number => (mentionsNick(String(text), String(nick)) ? 1 : 0);

const UNREAD = 'room = @room AND id > @readId AND deleted = 0 AND author IS NOT @author';

/**
 * The reader's unread messages of a room, and its mentions among them. `author IS NOT`: rows stored before authors
 * were recorded (NULL) count. The first count reads the covering index messages_unread alone; the second reads the
 * table for the messages with an `@` only (messages_with_at), and applies the rule of a mention in JavaScript
 * (`mentions_nick`, registered on the connection): SQLite's lower() folds ASCII alone, so a prefilter on
 * `lower(text)` would miss `@ZOË` for Zoë.
 */
const COUNT_UNREAD = `
  SELECT (SELECT count(*) FROM messages WHERE ${UNREAD}) AS unread,
    (SELECT count(*) FROM messages WHERE ${UNREAD} AND instr(text, '@') > 0 AND mentions_nick(text, @nick)) AS mentions`;

function prepare(db: Database.Database) {
  db.function('mentions_nick', { deterministic: true }, mentionsNickInSql);
  return {
    begin: db.prepare<{ person: string; room: string }>(
      `INSERT INTO read_state (person, room, read_id)
       SELECT @person, @room, coalesce((SELECT max(id) FROM messages WHERE room = @room), 0)
       WHERE true -- else SQLite's parser takes ON CONFLICT for a join's ON (its upsert documentation)
       ON CONFLICT (person, room) DO NOTHING`,
    ),
    // WHERE EXISTS: a marker only ever names a message of its room (deleted or not).
    moveForward: db.prepare<{ person: string; room: string; id: number }, { read_id: number }>(
      `INSERT INTO read_state (person, room, read_id)
       SELECT @person, @room, @id WHERE EXISTS (SELECT 1 FROM messages WHERE room = @room AND id = @id)
       ON CONFLICT (person, room) DO UPDATE SET read_id = max(read_state.read_id, excluded.read_id)
       RETURNING read_id`,
    ),
    selectReadId: db
      .prepare<[string, string], number>('SELECT read_id FROM read_state WHERE person = ? AND room = ?')
      .pluck(),
    countUnread: db.prepare<CountParams, { unread: number; mentions: number }>(COUNT_UNREAD),
    forget: db.prepare<[string]>('DELETE FROM read_state WHERE person = ?'),
  };
}

/**
 * Read markers in the SQLite database (`<dataDir>/chat.db`). Markers are written without an fsync, and the moves of
 * one event-loop turn in one commit (`writeSoonWithoutFsync`): a power cut may lose the last moves, which only
 * shows a few messages as unread again, and `room:read` comes often. The counts of `states` come from one read
 * transaction, so they are of one moment.
 */
export class SqliteReadState implements ReadStateStore {
  private readonly sql;
  private readonly database: SqliteDatabase;
  private readonly statesOf;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const sql = prepare(database.connection);
    this.sql = sql;
    this.database = database;
    this.statesOf = database.connection.transaction((reader: Reader, rooms: string[]) =>
      rooms.map((room) => this.stateAt(reader, room, sql.selectReadId.get(reader.person, room) ?? 0)),
    );
    this.release = database.retain();
  }

  async begin(person: string, room: string): Promise<void> {
    await this.database.writeSoonWithoutFsync(() => this.sql.begin.run({ person, room }));
  }

  async read(reader: Reader, room: string, id: number): Promise<RoomReadState | undefined> {
    return this.database.writeSoonWithoutFsync(() => {
      const moved = this.sql.moveForward.get({ person: reader.person, room, id });
      return moved && this.stateAt(reader, room, moved.read_id);
    });
  }

  async states(reader: Reader, rooms: string[]): Promise<RoomReadState[]> {
    return this.statesOf(reader, rooms);
  }

  async forgetPerson(person: string): Promise<void> {
    this.sql.forget.run(person);
  }

  async close(): Promise<void> {
    this.release();
  }

  private stateAt(reader: Reader, room: string, readId: number): RoomReadState {
    const counts = this.sql.countUnread.get({ room, readId, author: reader.author, nick: reader.nick })!;
    return { room, readId, unread: counts.unread, mentions: counts.mentions };
  }
}
