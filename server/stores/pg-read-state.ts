import type { Pool } from 'pg';
import { mentionsNick } from '../protocol/mentions.js';
import type { PgDatabase } from './pg-database.js';
import type { Reader, ReadStateStore, RoomReadState } from './read-state.js';

/** A room's marker and counts as the queries below give them: bigints as strings, the mention candidates' texts. */
interface CountRow {
  room: string;
  read_id: number | string;
  unread: number | string;
  candidates: string[] | null;
}

/**
 * The counts of one room after a marker (a LATERAL subquery; `room` and `readId` are SQL expressions). Parameters:
 * $3 the reader's author (NULL authors differ from it, so old rows count), $4 `@` and the nick, $5 whether letters
 * outside ASCII may make a mention (`mayFoldOutsideAscii`).
 *
 * `unread` is an index-only scan of messages_unread where the visibility map allows (the heap of recent messages
 * is read until a vacuum has passed). Only the texts of mention candidates come back, for mentionsNick to decide,
 * read through messages_with_at: those that contain `@nick` once both are lowered by the database. lower() lowers
 * ASCII as JavaScript does, but other letters only as the database's LC_CTYPE says (not at all under `C`); so when
 * $5 holds, a text with an `@` and a character outside ASCII is a candidate too.
 */
const countsAfter = (room: string, readId: string) => {
  const unread = `m.room = ${room} AND m.id > ${readId} AND NOT m.deleted AND m.author IS DISTINCT FROM $3::text`;
  return `SELECT (SELECT count(*) FROM messages m WHERE ${unread}) AS unread,
    (SELECT array_agg(m.text) FROM messages m WHERE ${unread} AND strpos(m.text, '@') > 0
      AND (strpos(lower(m.text), lower($4::text)) > 0 OR ($5 AND m.text ~ '[^\\x01-\\x7f]'))) AS candidates`;
};

/** $1 person, $2 the rooms; one round trip for any number of rooms, in their order. */
const STATES = `
  SELECT r.room, coalesce(s.read_id, 0) AS read_id, c.unread, c.candidates
  FROM unnest($2::text[]) WITH ORDINALITY AS r (room, ord)
  LEFT JOIN read_state s ON s.person = $1 AND s.room = r.room
  CROSS JOIN LATERAL (${countsAfter('r.room', 'coalesce(s.read_id, 0)')}) c
  ORDER BY r.ord`;

/**
 * Marker writes commit without waiting for the WAL's flush, as SQLite's do without an fsync (SqliteReadState): a
 * crash of the database may lose the last fraction of a second of moves, which only shows a few messages as unread
 * again, and `room:read` comes often. `set_config(…, true)` is SET LOCAL: it holds for the statement's own
 * transaction, so it is one statement and one round trip still. MATERIALIZED and the reference from the INSERT make
 * sure it runs before the write.
 */
const RELAXED = `relaxed AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))`;

/**
 * $1 person, $2 room, $6 id: the move and the state after it in one statement, so one round trip. Nothing is
 * inserted (no row comes back) unless the id is a message of the room; of two moves at once, ON CONFLICT makes the
 * second wait for the first's commit and then take the greater id.
 */
const READ = `
  WITH ${RELAXED}, moved AS (
    INSERT INTO read_state (person, room, read_id)
    SELECT $1, $2, $6 FROM relaxed WHERE EXISTS (SELECT 1 FROM messages WHERE room = $2 AND id = $6)
    ON CONFLICT (person, room) DO UPDATE SET read_id = greatest(read_state.read_id, excluded.read_id)
    RETURNING room, read_id
  )
  SELECT moved.room, moved.read_id, c.unread, c.candidates
  FROM moved CROSS JOIN LATERAL (${countsAfter('moved.room', 'moved.read_id')}) c`;

const BEGIN = `
  WITH ${RELAXED}
  INSERT INTO read_state (person, room, read_id)
  SELECT $1, $2, coalesce((SELECT max(id) FROM messages WHERE room = $2), 0) FROM relaxed
  ON CONFLICT (person, room) DO NOTHING`;

/**
 * Whether a mention of this nick may hold a character outside ASCII, where the database's lower() and
 * JavaScript's may differ: the nick has one, or a `k`, which JavaScript also makes of the Kelvin sign (U+212A,
 * the one character outside ASCII it lowers into ASCII).
 */
const mayFoldOutsideAscii = (nick: string): boolean => /\P{ASCII}|k/iu.test(nick);

const toState = (row: CountRow, nick: string): RoomReadState => ({
  room: row.room,
  readId: Number(row.read_id),
  unread: Number(row.unread),
  mentions: (row.candidates ?? []).filter((text) => mentionsNick(text, nick)).length,
});

/**
 * Read markers in PostgreSQL (the database of the history, on its pool), so every node of a cluster reads the same.
 * Its statements are named: each connection plans them once (planning took as long as running them; `room:read`
 * comes often). Their results list columns, so a migration that adds one to a table does not break them.
 */
export class PgReadState implements ReadStateStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async begin(person: string, room: string): Promise<void> {
    await this.pool.query({ name: 'read-state:begin', text: BEGIN, values: [person, room] });
  }

  async read(reader: Reader, room: string, id: number): Promise<RoomReadState | undefined> {
    const { rows } = await this.pool.query<CountRow>({
      name: 'read-state:read',
      text: READ,
      values: [reader.person, room, ...readerParams(reader), id],
    });
    return rows[0] && toState(rows[0], reader.nick);
  }

  async states(reader: Reader, rooms: string[]): Promise<RoomReadState[]> {
    if (rooms.length === 0) return [];
    const { rows } = await this.pool.query<CountRow>({
      name: 'read-state:states',
      text: STATES,
      values: [reader.person, rooms, ...readerParams(reader)],
    });
    return rows.map((row) => toState(row, reader.nick));
  }

  async forgetPerson(person: string): Promise<void> {
    await this.pool.query('DELETE FROM read_state WHERE person = $1', [person]);
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/** $3, $4 and $5 of `countsAfter`. */
const readerParams = (reader: Reader) => [reader.author, `@${reader.nick}`, mayFoldOutsideAscii(reader.nick)];
