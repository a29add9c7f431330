import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseFor, usePostgres } from '../pg/databases.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs `sql` with `params` on the database of a test server's data directory, from outside the server. */
async function query<T>(dataDir: string, sql: string, params: unknown[]): Promise<T[]> {
  if (!usePostgres) {
    const db = new Database(join(dataDir, 'chat.db'), { fileMustExist: true });
    try {
      const statement = db.prepare(sql.replace(/\$\d+/g, '?'));
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: await databaseFor(dataDir) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Stores `count` messages in `room` as if sent `ageDays` ago (one ms apart, by `guest:old`), straight into the
 * table; resolves their ids.
 */
export async function insertOld(dataDir: string, room: string, count: number, ageDays: number): Promise<number[]> {
  const ts = Date.now() - ageDays * DAY_MS;
  const rows = await query<{ id: number | string }>(
    dataDir,
    `INSERT INTO messages (room, nick, author, text, ts)
     SELECT $1, 'old', 'guest:old', 'old text', CAST($2 AS bigint) + n FROM (${series(count)}) AS s RETURNING id`,
    [room, ts],
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** `SELECT n` for n in 0..count-1, in either engine. */
const series = (count: number) =>
  usePostgres
    ? `SELECT generate_series(0, ${count - 1}) AS n`
    : `WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < ${count - 1}) SELECT n FROM c`;

/** The ids of a room's rows, rising, straight from the table. */
export async function idsOf(dataDir: string, room: string): Promise<number[]> {
  const rows = await query<{ id: number | string }>(dataDir, 'SELECT id FROM messages WHERE room = $1 ORDER BY id', [
    room,
  ]);
  return rows.map((r) => Number(r.id));
}
