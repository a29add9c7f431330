import pg from 'pg';
import { LOCK_CLASS, MIGRATION_LOCK, PG_MIGRATIONS } from './pg-migrations.js';

export interface PgDatabaseOptions {
  /** Reported through the pool's `error` event: an idle client whose server went away. */
  onIdleError?: (err: Error) => void;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/**
 * A migration may rewrite a large table, and a node that starts while another migrates waits for the lock:
 * neither is a stuck server, so the migration runs with this instead of the pool's statement timeout.
 */
const MIGRATION_TIMEOUT_MS = 120_000;

/**
 * The PostgreSQL database of the process: one `pg` Pool, migrated at open (`PG_MIGRATIONS`). The stores built on
 * it (PgHistory, PgBans) share the pool; each holds the database open, and the pool ends when the last one closes.
 * While PostgreSQL is down, queries fail within the timeouts and the pool reconnects by itself when it is back.
 */
export class PgDatabase {
  private users = 0;
  private ended: Promise<void> | undefined;

  private constructor(readonly pool: pg.Pool) {}

  /**
   * Opens the pool and brings the schema up to date on its first connection, which then serves queries (a
   * connection costs PostgreSQL a process start, ~20 ms of CPU here). Throws (and leaves nothing open) if that fails.
   */
  static async open(url: string, options: PgDatabaseOptions = {}): Promise<PgDatabase> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    const statementTimeoutMs = options.statementTimeoutMs ?? 3000;
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      // A server that stops answering (no RST) would otherwise hold a query forever.
      query_timeout: statementTimeoutMs + 1000,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      keepAlive: true,
      application_name: 'parley',
      // Our statements are short and planned at every call. JIT compiles one for 10–20 ms whenever the planner
      // overestimates its rows past jit_above_cost, as it does for the counts of `unread:summary` (pg-read-state.ts).
      options: '-c jit=off',
    });
    pool.on('error', (err) => options.onIdleError?.(err)); // without a listener an idle client's error kills the process
    try {
      await migrate(pool);
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return new PgDatabase(pool);
  }

  /** Called by each store built on this database; the store calls the returned function when it closes. */
  retain(): () => Promise<void> {
    if (this.ended) throw new Error('the database is closed');
    this.users++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        if (--this.users === 0) this.ended = this.pool.end();
      }
      return this.ended ?? Promise.resolve();
    };
  }
}

/**
 * Runs `work` in one transaction on a connection of the pool: COMMIT when it resolves, else ROLLBACK (by dropping
 * the connection, which may be dead or mid-statement) and its error.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    client.release(true); // never handed out again: PostgreSQL rolls back a transaction whose session ends
    throw err;
  }
}

/**
 * `query_timeout` for one query instead of the pool's: node-postgres reads it from the query's config before its
 * client's (pg/lib/client.js, `config.query_timeout || this.connectionParameters.query_timeout`), though its types
 * do not list it. pg is pinned exactly; test/pg/pg-database.test.ts fails if a release stops reading it.
 */
export function withReadTimeout(config: pg.QueryConfig, timeoutMs: number): pg.QueryConfig {
  return Object.assign(config, { query_timeout: timeoutMs });
}

/**
 * Brings the schema up to the end of PG_MIGRATIONS in one transaction, under a transaction-scoped advisory lock:
 * nodes that start together wait for each other, and the later ones find the work done. The lock is the one the
 * history took for its own migrations before this module, so a node of the previous release waits too. Its
 * statements run with MIGRATION_TIMEOUT_MS instead of the pool's timeouts (SET LOCAL ends with the transaction).
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  const query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) =>
    client.query<R>(withReadTimeout({ text, values }, MIGRATION_TIMEOUT_MS + 1000));
  try {
    await query('BEGIN');
    await query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
    await query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
    await query('CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)');
    const { rows } = await query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM schema_version',
    );
    // A newer release may have migrated further: its additions are unknown here, and additive.
    for (let version = (rows[0]?.version ?? 0) + 1; version <= PG_MIGRATIONS.length; version++) {
      const migration = PG_MIGRATIONS[version - 1]!;
      await query(migration.sql).catch((err: unknown) => {
        throw new Error(`migration ${version} (${migration.name}): ${(err as Error).message}`, { cause: err });
      });
      await query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
    }
    await query('COMMIT');
    client.release();
  } catch (err) {
    client.release(true); // a transaction still open is rolled back with the session
    throw err;
  }
}
