import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_DATABASE_PREFIX } from './databases.js';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server of a test project (postgres and cluster each start one). */
    pgUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole project, stopped at the end; or DATABASE_URL when set, where the databases
 * a failed file left behind are dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    project.provide('pgUrl', url);
    return () => dropLeftovers(url);
  }
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  return () => server.destroy();
}

async function dropLeftovers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [TEST_DATABASE_PREFIX],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
