import pg from 'pg';
import { inject } from 'vitest';

/** The PostgreSQL test project sets TEST_HISTORY=postgres; every other run uses SQLite. */
export const usePostgres = process.env.TEST_HISTORY === 'postgres';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Every database the tests create starts so, and the run's teardown drops what is left (DATABASE_URL too). */
export const TEST_DATABASE_PREFIX = 'parley_test_';

const randomName = (prefix: string) => `${TEST_DATABASE_PREFIX}${prefix}_${Math.random().toString(36).slice(2, 10)}`;

async function admin<T>(task: (client: pg.Client) => Promise<T>, url = inject('pgUrl')): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** This file's databases by data directory, so a restart on the same directory finds the same messages. */
const byDataDir = new Map<string, Promise<string>>();
/** Databases of closed servers, emptied: the next data directory gets one (CREATE DATABASE takes ~0.1-0.5 s). */
const spare: string[] = [];

/** The database of this data directory on the shared test server (an empty one the first time); returns its URL. */
export async function databaseFor(dataDir: string): Promise<string> {
  let name = byDataDir.get(dataDir);
  if (name === undefined) {
    const reused = spare.pop();
    name = reused === undefined ? createDatabase() : Promise.resolve(reused);
    byDataDir.set(dataDir, name);
  }
  return withDatabase(inject('pgUrl'), await name);
}

async function createDatabase(): Promise<string> {
  const name = randomName('t');
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return name;
}

/**
 * Done with this data directory: its database is emptied as a new one would be (every table's rows deleted, every
 * sequence restarted; the schema stays, so the next server's migration finds it current) for the next directory.
 * Sessions still on it are ended first, as DROP DATABASE … WITH (FORCE) would: a killed server's must hold no lock.
 */
export async function dropDatabaseFor(dataDir: string): Promise<void> {
  const name = byDataDir.get(dataDir);
  if (name === undefined) return;
  byDataDir.delete(dataDir);
  const database = await name;
  const emptier = emptierOf(database);
  await emptier.query(EMPTY_DATABASE).catch(async (err: unknown) => {
    if (emptiers.get(database) === emptier) throw err;
    await emptierOf(database).query(EMPTY_DATABASE); // its connection had gone: once more on a new one
  });
  spare.push(database);
}

/**
 * One kept connection per database of this file that empties it: a PostgreSQL session costs a process start
 * (~20 ms of CPU on the 2-core machine), and the postgres project empties a database after each of ~600 servers.
 */
const emptiers = new Map<string, pg.Client>();

function emptierOf(database: string): pg.Client {
  let client = emptiers.get(database);
  if (client === undefined) {
    const created = new pg.Client({ connectionString: withDatabase(inject('pgUrl'), database) });
    // Gone (a test stopped PostgreSQL) or never up: forgotten, so the next use connects again. pg queues queries
    // until the connection is up, and fails them if it never comes.
    const forget = () => {
      if (emptiers.get(database) === created) emptiers.delete(database);
    };
    created.on('error', forget);
    created.connect().catch(forget);
    emptiers.set(database, created);
    client = created;
  }
  return client;
}

async function endEmptiers(): Promise<void> {
  const clients = [...emptiers.values()];
  emptiers.clear();
  await Promise.all(clients.map((client) => client.end().catch(() => {})));
}

/**
 * One round trip; DELETE rather than TRUNCATE: the tables hold a few rows, and TRUNCATE makes new files. Triggers
 * are off for it (the test server's user is a superuser): the audit log refuses every DELETE by trigger.
 */
const EMPTY_DATABASE = `DO $$
DECLARE
  item record;
BEGIN
  PERFORM set_config('session_replication_role', 'replica', true);
  PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid();
  FOR item IN SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename <> 'schema_version' LOOP
    EXECUTE format('DELETE FROM %I.%I', item.schemaname, item.tablename);
  END LOOP;
  PERFORM setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) FROM pg_sequences
    WHERE schemaname = 'public';
END $$`;

/** Drops this file's databases (the postgres project's setup file calls it after each file). */
export async function dropFileDatabases(): Promise<void> {
  await endEmptiers();
  const names = [...spare.splice(0), ...(await Promise.all(byDataDir.values()))];
  byDataDir.clear();
  if (names.length === 0) return;
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** A fresh, empty database on the shared test server; `options` follow CREATE DATABASE (e.g. `LC_CTYPE 'C'`). */
export async function freshDatabase(prefix: string, options = ''): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = randomName(prefix);
  await admin((client) => client.query(`CREATE DATABASE ${name} ${options}`));
  return {
    url: withDatabase(inject('pgUrl'), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
