import type { StorageHealth } from './history.js';

/** How the SQLite history waits for a write lock that another process holds (docs/security.md). */
export interface SqliteSettings {
  /** How long one write blocks the event loop waiting for the lock (SQLITE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs: number;
  /** How long a send may wait for the lock in all before it is answered INTERNAL (SQLITE_WRITE_TIMEOUT_MS). */
  writeTimeoutMs: number;
  /** Pause between attempts while the lock is held. */
  retryMs: number;
}

export const SQLITE_DEFAULTS: SqliteSettings = { busyTimeoutMs: 20, writeTimeoutMs: 2000, retryMs: 100 };

/** What a failed write (an error, or its code) says about the store. */
export function writeProblem(err: unknown): NonNullable<StorageHealth['problem']> {
  const found = typeof err === 'string' ? err : (err as { code?: unknown } | null)?.code;
  const code = typeof found === 'string' ? found : '';
  if (code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'locked';
  if (code === 'SQLITE_FULL') return 'full';
  if (code === 'ENOENT' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_DBMOVED') return 'gone';
  return 'failing';
}
