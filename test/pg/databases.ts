import { basename } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

/** The PostgreSQL test project sets TEST_HISTORY=postgres; every other run uses SQLite. */
export const usePostgres = process.env.TEST_HISTORY === 'postgres';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A database per data directory, so a restart on the same directory finds the same messages. */
const databaseName = (dataDir: string) =>
  `t_${basename(dataDir)
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')}`;

async function admin<T>(task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** Creates (if needed) the database of this data directory on the shared test server; returns its URL. */
export async function databaseFor(dataDir: string): Promise<string> {
  const name = databaseName(dataDir);
  await admin(async (client) => {
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // exists already: a restart
    }
  });
  return withDatabase(inject('pgUrl'), name);
}

export async function dropDatabaseFor(dataDir: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName(dataDir)} WITH (FORCE)`));
}

/** A fresh, empty database on the shared test server. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(inject('pgUrl'), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
