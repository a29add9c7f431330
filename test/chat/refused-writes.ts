import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseFor, usePostgres } from '../pg/databases.js';

/** A statement a test makes the database refuse: one table, one kind of write. */
export interface RefusedWrite {
  table: 'audit_log' | 'bans' | 'messages';
  write: 'INSERT' | 'UPDATE' | 'DELETE';
}

const triggerName = ({ table, write }: RefusedWrite) => `test_refuse_${table}_${write.toLowerCase()}`;

/** Runs `sql` on the database of a test server's data directory (see openTestHistory), from outside the server. */
async function onDatabase(dataDir: string, sql: string): Promise<void> {
  if (!usePostgres) {
    const db = new Database(join(dataDir, 'chat.db'), { fileMustExist: true });
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: await databaseFor(dataDir) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * From now on the database fails every such write (a trigger that raises), as a full disk or a broken table
 * would, but for exactly that statement: the server's other writes in the same transaction have run by then.
 */
export async function refuseWrites(dataDir: string, refused: RefusedWrite): Promise<void> {
  const { table, write } = refused;
  const name = triggerName(refused);
  await onDatabase(
    dataDir,
    usePostgres
      ? `CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql
           AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
         CREATE TRIGGER ${name} BEFORE ${write} ON ${table} FOR EACH ROW EXECUTE FUNCTION test_refuse();`
      : `CREATE TRIGGER ${name} BEFORE ${write} ON ${table} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`,
  );
}

/** Ends `refuseWrites`. */
export async function allowWrites(dataDir: string, refused: RefusedWrite): Promise<void> {
  const name = triggerName(refused);
  await onDatabase(dataDir, usePostgres ? `DROP TRIGGER ${name} ON ${refused.table}` : `DROP TRIGGER ${name}`);
}
