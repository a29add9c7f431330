/** First key of our advisory locks (pg_advisory_lock(int, int)): a constant so other users of locks keep theirs. */
export const LOCK_CLASS = 0x7061726c; // 'parl'
/** Second key of the lock that migrations run under; room locks (pg-history.ts) never use it. */
export const MIGRATION_LOCK = 0;
/**
 * First key of the lock (second key 0) that every transaction writing an audit entry takes before drawing its
 * id (pg-audit.ts), so entries' ids rise in commit order. A class of its own: room locks use every second key.
 */
export const AUDIT_LOCK_CLASS = 0x70617564; // 'paud'
/**
 * First key of the lock a transaction takes before it counts a person's memberships and adds one
 * (pg-conversations.ts); the second key is `hashtext(person)`, computed by the server so every node agrees. A class
 * of its own, so it never waits for a room's lock; two people whose hashes collide only wait for each other.
 */
export const MEMBERSHIP_LOCK_CLASS = 0x7063766d; // 'pcvm'

export interface PgMigration {
  /** What it adds, for error messages and docs/architecture.md. */
  name: string;
  sql: string;
}

/**
 * Every table of the PostgreSQL backend, in the order it was added. Entry n is schema version n (recorded in
 * `schema_version`, which the history kept before this list, so its versions 1–3 are entries 1–3 here). Append only:
 * never edit an entry that has shipped, and keep each one additive, so that the previous release still works
 * on the new schema while a cluster is upgraded node by node.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    name: 'messages',
    sql: `CREATE SEQUENCE IF NOT EXISTS messages_id_seq;
      CREATE TABLE IF NOT EXISTS messages (
        id bigint PRIMARY KEY DEFAULT nextval('messages_id_seq'),
        room text NOT NULL,
        nick text NOT NULL,
        text text NOT NULL,
        ts bigint NOT NULL,
        client_id text
      );
      ALTER SEQUENCE messages_id_seq OWNED BY messages.id;
      CREATE INDEX IF NOT EXISTS messages_room_id ON messages (room, id);
      CREATE UNIQUE INDEX IF NOT EXISTS messages_nick_client_id ON messages (nick, client_id)
        WHERE client_id IS NOT NULL;`,
  },
  {
    name: 'messages: edits and deletes',
    sql: `ALTER TABLE messages ADD COLUMN edited_at bigint;
      ALTER TABLE messages ADD COLUMN deleted boolean NOT NULL DEFAULT false;`,
  },
  { name: 'messages: author', sql: 'ALTER TABLE messages ADD COLUMN author text;' },
  {
    // IF NOT EXISTS: before this list, the ban store created its table itself, outside schema_version.
    name: 'bans',
    sql: `CREATE TABLE IF NOT EXISTS bans (
        room text NOT NULL,
        nick_key text NOT NULL,
        nick text NOT NULL,
        until bigint,
        by_nick text NOT NULL,
        PRIMARY KEY (room, nick_key)
      );`,
  },
  { name: 'bans: reason', sql: 'ALTER TABLE bans ADD COLUMN IF NOT EXISTS reason text;' },
  {
    // now() is the migration's start for the rows there, and the insert's for a previous release's new bans.
    name: 'bans: banned_at',
    sql: `ALTER TABLE bans ADD COLUMN banned_at bigint NOT NULL
      DEFAULT (floor(extract(epoch FROM now()) * 1000))::bigint;`,
  },
  {
    name: 'audit_log',
    sql: `CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at bigint NOT NULL,
        actor_kind text NOT NULL,
        actor_nick text,
        actor_sub text,
        action text NOT NULL,
        room text,
        target text NOT NULL,
        reason text
      );
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();`,
  },
  {
    name: 'conversations and conversation_members',
    sql: `CREATE TABLE conversations (
        room text PRIMARY KEY,
        kind text NOT NULL,
        title text NOT NULL,
        owner text,
        created_at bigint NOT NULL
      );
      CREATE INDEX conversations_kind ON conversations (kind);
      CREATE TABLE conversation_members (
        room text NOT NULL REFERENCES conversations (room) ON DELETE CASCADE,
        person text NOT NULL,
        nick text NOT NULL,
        granted boolean NOT NULL DEFAULT false,
        joined_at bigint NOT NULL,
        PRIMARY KEY (room, person)
      );
      CREATE INDEX conversation_members_person ON conversation_members (person);`,
  },
  {
    // Markers only: the counts are computed from messages, so a delete or an edit needs no change here.
    name: 'read_state',
    sql: `CREATE TABLE read_state (
        person text NOT NULL,
        room text NOT NULL,
        read_id bigint NOT NULL,
        PRIMARY KEY (person, room)
      );`,
  },
  {
    // They keep the unread counts off the heap where they can (pg-read-state.ts): the unread messages of a room are
    // counted by an index-only scan of messages_unread, and only those with an `@` are read for their text.
    // Building them blocks writes to messages for a few seconds per million rows.
    name: 'messages: indexes to count unread messages',
    sql: `CREATE INDEX messages_unread ON messages (room, id) INCLUDE (author) WHERE NOT deleted;
      CREATE INDEX messages_with_at ON messages (room, id) WHERE strpos(text, '@') > 0;`,
  },
  {
    // 11. One report per person and message (UNIQUE); `author` is the message's author key, never sent.
    name: 'reports',
    sql: `CREATE TABLE reports (
        id bigserial PRIMARY KEY,
        room text NOT NULL,
        message_id bigint NOT NULL,
        author_nick text NOT NULL,
        author text,
        reporter_person text NOT NULL,
        reporter_nick text NOT NULL,
        reason text NOT NULL,
        at bigint NOT NULL,
        state text NOT NULL DEFAULT 'open',
        resolved_at bigint,
        resolved_by text,
        UNIQUE (message_id, reporter_person)
      );
      CREATE INDEX reports_state ON reports (state, id);`,
  },
  {
    // Migration 12. The two indexes find what the retention sweep purges (pg-retention.ts) without a scan:
    // messages_ts for every room on RETENTION_DAYS, messages_room_ts for a room with an override. Building them
    // blocks writes to messages for a few seconds per million rows.
    name: 'room_retention, and messages by age',
    sql: `CREATE TABLE room_retention (
        room text PRIMARY KEY,
        days integer NOT NULL CHECK (days >= 0)
      );
      CREATE INDEX messages_ts ON messages (ts);
      CREATE INDEX messages_room_ts ON messages (room, ts);`,
  },
  {
    // Migration 13. A batch of appends in one statement, so in one round trip and its own transaction, where it
    // took five (BEGIN, the room locks, the ids, the insert, COMMIT): pg-history.ts. One row per input, in input
    // order; a row whose clientId was already stored (ON CONFLICT) has a NULL id. The columns are named, so a
    // column added to messages later does not change what the function returns (a rolling upgrade).
    name: 'append_messages: a batch of sends in one statement',
    sql: `CREATE FUNCTION append_messages(
        p_lock_class integer, p_lock_keys integer[], p_rooms text[], p_nicks text[], p_texts text[],
        p_client_ids text[], p_authors text[])
      RETURNS TABLE (id bigint, room text, nick text, author text, text text, ts bigint, client_id text,
        edited_at bigint, deleted boolean)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        ids bigint[];
        stamp bigint;
      BEGIN
        -- In key order, as every writer takes them, so two batches cannot deadlock.
        PERFORM pg_advisory_xact_lock(p_lock_class, k) FROM unnest(p_lock_keys) AS k ORDER BY k;
        ids := ARRAY(SELECT nextval('messages_id_seq') FROM generate_series(1, cardinality(p_rooms)) ORDER BY 1);
        -- Read under the locks, like the ids, so that ts rises with id in a room: a page's lower bound (the room's
        -- first kept message, by ts) relies on it. clock_timestamp(), not now(): now() is the statement's start,
        -- before the wait for the locks.
        stamp := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
        RETURN QUERY
          WITH input AS (
            SELECT * FROM unnest(ids, p_rooms, p_nicks, p_texts, p_client_ids, p_authors) WITH ORDINALITY
              AS i(id, room, nick, text, client_id, author, n)
          ), inserted AS (
            INSERT INTO messages AS m (id, room, nick, text, ts, client_id, author)
            SELECT input.id, input.room, input.nick, input.text, stamp, input.client_id, input.author FROM input
            ON CONFLICT (nick, client_id) WHERE client_id IS NOT NULL DO NOTHING
            RETURNING m.id, m.room, m.nick, m.author, m.text, m.ts, m.client_id, m.edited_at, m.deleted
          )
          SELECT s.id, s.room, s.nick, s.author, s.text, s.ts, s.client_id, s.edited_at, s.deleted
          FROM input LEFT JOIN inserted s ON s.id = input.id ORDER BY input.n;
      END $$;`,
  },
];
