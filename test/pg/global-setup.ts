import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server of a test project (postgres and cluster each start one). */
    pgUrl: string;
  }
}

/** One PostgreSQL server for the whole project (or DATABASE_URL when set), stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('pgUrl', process.env.DATABASE_URL);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  return () => server.destroy();
}
