import pg from 'pg';

/**
 * What the release before the migration list created, as it did it: the history's own migrations (pg-history.ts, recorded in schema_version) and the
 * ban store's table (pg-bans.ts, `reason` added later, outside any version). Copied verbatim; never update it.
 */
const HISTORY_MIGRATIONS = [
  `CREATE SEQUENCE IF NOT EXISTS messages_id_seq;
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
   CREATE UNIQUE INDEX IF NOT EXISTS messages_nick_client_id ON messages (nick, client_id) WHERE client_id IS NOT NULL;`,
  `ALTER TABLE messages ADD COLUMN edited_at bigint;
   ALTER TABLE messages ADD COLUMN deleted boolean NOT NULL DEFAULT false;`,
  `ALTER TABLE messages ADD COLUMN author text;`,
];

const BANS_SCHEMA = `CREATE TABLE IF NOT EXISTS bans (
  room text NOT NULL,
  nick_key text NOT NULL,
  nick text NOT NULL,
  until bigint,
  by_nick text NOT NULL,
  PRIMARY KEY (room, nick_key)
)`;

export interface OldSchema {
  /** How far that history had migrated: 0 = never opened. */
  historyVersion: 0 | 1 | 2 | 3;
  bans: 'none' | 'without reason' | 'with reason';
}

/** Builds an old schema in `url` (an empty database) the way that release did; `seed` then adds its rows. */
export async function createOldSchema(
  url: string,
  schema: OldSchema,
  seed: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (schema.historyVersion > 0) {
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)');
      for (let version = 1; version <= schema.historyVersion; version++) {
        await client.query('BEGIN');
        await client.query(HISTORY_MIGRATIONS[version - 1]!);
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      }
    }
    if (schema.bans !== 'none') await client.query(BANS_SCHEMA);
    if (schema.bans === 'with reason') await client.query('ALTER TABLE bans ADD COLUMN IF NOT EXISTS reason text');
    await seed(client);
  } finally {
    await client.end();
  }
}
