import type { SqliteDatabase } from './sqlite-database.js';

/**
 * The `seq` of news items: rises by exactly 1 per topic. A store rather than a counter in the feed, so that
 * it continues after a restart (SQLite) and can later be shared by several processes.
 */
export interface NewsSequence {
  next(topic: string): Promise<number>;
  close(): Promise<void>;
}

export class MemoryNewsSequence implements NewsSequence {
  private readonly last = new Map<string, number>();

  async next(topic: string): Promise<number> {
    const seq = (this.last.get(topic) ?? 0) + 1;
    this.last.set(topic, seq);
    return seq;
  }

  async close(): Promise<void> {}
}

/**
 * In the SQLite database (`<dataDir>/chat.db`), but without its fsync per commit: a process kill loses nothing
 * (WAL), a power cut may lose the last few increments, which only shows up as a repeated `seq` that clients
 * already treat as nothing new. An fsync per item would cost more than the item at high feed rates.
 */
export class SqliteNewsSequence implements NewsSequence {
  private readonly increment;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(private readonly database: SqliteDatabase) {
    this.increment = database.connection.prepare<[string], { seq: number }>(
      'INSERT INTO news_seq (topic, seq) VALUES (?, 1) ON CONFLICT (topic) DO UPDATE SET seq = seq + 1 RETURNING seq',
    );
    this.release = database.retain();
  }

  async next(topic: string): Promise<number> {
    const row = this.database.withoutFsync(() => this.increment.get(topic));
    if (!row) throw new Error('news_seq upsert gave no row');
    return row.seq;
  }

  async close(): Promise<void> {
    this.release();
  }
}
