import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Message } from '../protocol/events.js';
import type { AppendResult, HistoryStore, NewMessage } from './history.js';

interface Row {
  id: number;
  room: string;
  nick: string;
  text: string;
  ts: number;
  client_id: string | null;
}

interface Pending {
  input: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    nick TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    client_id TEXT
  );
  CREATE INDEX IF NOT EXISTS messages_room_id ON messages (room, id);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_nick_client_id ON messages (nick, client_id) WHERE client_id IS NOT NULL;
`;

function toMessage(row: Row): Message {
  const message: Message = { id: row.id, room: row.room, nick: row.nick, text: row.text, ts: row.ts };
  if (row.client_id !== null) message.clientId = row.client_id;
  return message;
}

/**
 * History in one SQLite file (`<dataDir>/chat.db`, WAL, synchronous=FULL so a commit survives a power cut,
 * not only a process kill). Appends that arrive in the same event-loop turn share one transaction (group
 * commit): one fsync for many messages, and nobody is acknowledged before that commit returns.
 */
export class SqliteHistory implements HistoryStore {
  private readonly db: Database.Database;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private readonly insert;
  private readonly findByClientId;
  private readonly selectLatest;
  private readonly selectBefore;
  private readonly selectAfter;
  private readonly commitBatch;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'chat.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare<[string, string, string, number, string | null], Row>(
      'INSERT INTO messages (room, nick, text, ts, client_id) VALUES (?, ?, ?, ?, ?) RETURNING *',
    );
    this.findByClientId = this.db.prepare<[string, string], Row>(
      'SELECT * FROM messages WHERE nick = ? AND client_id = ?',
    );
    this.selectLatest = this.db.prepare<[string, number], Row>(
      'SELECT * FROM (SELECT * FROM messages WHERE room = ? ORDER BY id DESC LIMIT ?) ORDER BY id',
    );
    this.selectBefore = this.db.prepare<[string, number, number], Row>(
      'SELECT * FROM (SELECT * FROM messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?) ORDER BY id',
    );
    this.selectAfter = this.db.prepare<[string, number, number], Row>(
      'SELECT * FROM messages WHERE room = ? AND id > ? ORDER BY id LIMIT ?',
    );
    this.commitBatch = this.db.transaction((batch: Pending[]) => batch.map((p) => this.store(p.input)));
  }

  append(input: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async latest(room: string, limit: number): Promise<Message[]> {
    return this.selectLatest.all(room, limit).map(toMessage);
  }

  async before(room: string, id: number, limit: number): Promise<Message[]> {
    return this.selectBefore.all(room, id, limit).map(toMessage);
  }

  async after(room: string, id: number, limit: number): Promise<Message[]> {
    return this.selectAfter.all(room, id, limit).map(toMessage);
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }

  private store(input: NewMessage): AppendResult {
    const clientId = input.clientId ?? null;
    if (clientId !== null) {
      const earlier = this.findByClientId.get(input.nick, clientId);
      if (earlier) return { message: toMessage(earlier), isNew: false };
    }
    const row = this.insert.get(input.room, input.nick, input.text, Date.now(), clientId);
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return { message: toMessage(row), isNew: true };
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let results: AppendResult[];
    try {
      results = this.commitBatch(batch);
    } catch (err) {
      for (const pending of batch) pending.reject(err);
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  }
}
