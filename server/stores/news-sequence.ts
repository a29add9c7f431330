import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

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
 * `<dataDir>/news.db`. synchronous=NORMAL: a process kill loses nothing (WAL), a power cut may lose the last
 * few increments, which only shows up as a repeated `seq` that clients already treat as nothing new.
 */
export class SqliteNewsSequence implements NewsSequence {
  private readonly db: Database.Database;
  private readonly increment;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'news.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS news_seq (topic TEXT PRIMARY KEY, seq INTEGER NOT NULL)');
    this.increment = this.db.prepare<[string], { seq: number }>(
      'INSERT INTO news_seq (topic, seq) VALUES (?, 1) ON CONFLICT (topic) DO UPDATE SET seq = seq + 1 RETURNING seq',
    );
  }

  async next(topic: string): Promise<number> {
    const row = this.increment.get(topic);
    if (!row) throw new Error('news_seq upsert gave no row');
    return row.seq;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
