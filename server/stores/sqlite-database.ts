import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SQLITE_DEFAULTS, type SqliteSettings } from './sqlite-settings.js';

/** How long opening waits for a write lock another process holds: start-up may wait, a send may not. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/** A write of `writeSoonWithoutFsync`, waiting for the next commit. */
interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * `DATA_DIR/chat.db`, the one SQLite file and connection of the process (WAL, synchronous=FULL, so a commit
 * survives a power cut), migrated at open (`SQLITE_MIGRATIONS`). SqliteHistory, SqliteBans and SqliteNewsSequence
 * share the connection: better-sqlite3 is synchronous, so no two of them are ever inside a transaction at once.
 * Each store holds the database open, and the connection closes when the last one closes.
 */
export class SqliteDatabase {
  private users = 0;
  /** Writes for the next `commitQueued`, in the order they came. */
  private queued: QueuedWrite[] = [];
  /** Called inside `commitAll`'s transaction, better-sqlite3 makes this a savepoint. */
  private readonly inSavepoint = this.connection.transaction((write: () => unknown) => write());
  private readonly commitAll = this.connection.transaction((writes: QueuedWrite[]) =>
    writes.map(({ write }) => {
      try {
        return { ok: true as const, value: this.inSavepoint(write) };
      } catch (err) {
        return { ok: false as const, err };
      }
    }),
  );

  private constructor(
    readonly connection: Database.Database,
    readonly path: string,
    readonly settings: SqliteSettings,
  ) {}

  /** Opens (creating the directory and file if needed) and brings the schema up to date; throws if it cannot. */
  static open(dataDir: string, settings: Partial<SqliteSettings> = {}): SqliteDatabase {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'chat.db');
    const db = new Database(path, { timeout: OPEN_BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON'); // a deleted message's text is overwritten in the file, not just unlinked
      migrate(db, dataDir);
      const database = new SqliteDatabase(db, path, { ...SQLITE_DEFAULTS, ...settings });
      db.pragma(`busy_timeout = ${database.settings.busyTimeoutMs}`);
      return database;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Called by each store built on this database; the store calls the returned function when it closes. */
  retain(): () => void {
    if (!this.connection.open) throw new Error('the database is closed');
    this.users++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.users === 0) this.connection.close();
    };
  }

  /**
   * Runs `write` with synchronous=NORMAL: a process kill loses nothing (WAL), a power cut may lose it. For data
   * that is cheap to lose and written often (the news sequence), so that it costs no fsync.
   */
  withoutFsync<T>(write: () => T): T {
    this.connection.pragma('synchronous = NORMAL');
    try {
      return write();
    } finally {
      this.connection.pragma('synchronous = FULL');
    }
  }

  /**
   * `withoutFsync`, for writes that come by the thousand a second (read markers): the writes queued in one
   * event-loop turn commit together, so a thousand markers a second are not a thousand commits, each appending
   * its pages to the WAL (and the WAL's checkpoints, which do sync, coming as often). Each write runs in a
   * savepoint of its own: one that throws fails alone. Resolves after the commit.
   */
  writeSoonWithoutFsync<T>(write: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const queued = { write, resolve: resolve as (value: unknown) => void, reject };
      if (this.queued.push(queued) === 1) setImmediate(() => this.commitQueued());
    });
  }

  private commitQueued(): void {
    const writes = this.queued;
    this.queued = [];
    let results: ReturnType<typeof this.commitAll>;
    try {
      results = this.withoutFsync(() => this.commitAll(writes));
    } catch (err) {
      for (const { reject } of writes) reject(err);
      return;
    }
    writes.forEach(({ resolve, reject }, i) => {
      const result = results[i]!;
      if (result.ok) resolve(result.value);
      else reject(result.err);
    });
  }
}

/**
 * Applies the entries of SQLITE_MIGRATIONS past `user_version` in one transaction. BEGIN IMMEDIATE takes the
 * write lock first, so of two processes opening one new directory, the second waits and then finds the work done.
 */
function migrate(db: Database.Database, dataDir: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= SQLITE_MIGRATIONS.length) return; // the common case: no write lock needed to start
  db.exec('BEGIN IMMEDIATE');
  try {
    // A newer release may have migrated further: its additions are unknown here, and additive.
    for (let next = version() + 1; next <= SQLITE_MIGRATIONS.length; next++) {
      const migration = SQLITE_MIGRATIONS[next - 1]!;
      try {
        migration.up(db, dataDir);
      } catch (err) {
        throw new Error(`migration ${next} (${migration.name}): ${(err as Error).message}`, { cause: err });
      }
      db.pragma(`user_version = ${next}`);
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
