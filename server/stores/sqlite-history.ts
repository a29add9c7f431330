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
  edited_at: number | null;
  deleted: number;
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
/** Columns added after the first release; a database from before gets them at start. */
const ADDED_COLUMNS = {
  edited_at: 'ALTER TABLE messages ADD COLUMN edited_at INTEGER',
  deleted: 'ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0',
};

function toMessage(row: Row): Message {
  const { id, room, nick, ts } = row;
  if (row.deleted) return { id, room, nick, ts, text: '', deleted: true };
  const message: Message = { id, room, nick, text: row.text, ts };
  if (row.client_id !== null) message.clientId = row.client_id;
  if (row.edited_at !== null) message.editedAt = row.edited_at;
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
  private readonly selectOne;
  private readonly updateText;
  private readonly markDeleted;
  private readonly commitBatch;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'chat.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON'); // a deleted message's text is overwritten in the file, not just unlinked
    this.db.exec(SCHEMA);
    const columns = new Set((this.db.pragma('table_info(messages)') as { name: string }[]).map((c) => c.name));
    for (const [column, ddl] of Object.entries(ADDED_COLUMNS)) if (!columns.has(column)) this.db.exec(ddl);
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
    this.selectOne = this.db.prepare<[string, number], Row>('SELECT * FROM messages WHERE room = ? AND id = ?');
    this.updateText = this.db.prepare<[string, number, string, number]>(
      'UPDATE messages SET text = ?, edited_at = ? WHERE room = ? AND id = ? AND deleted = 0',
    );
    // The clientId stays, so a late retry of the deleted message is still recognised and not stored again.
    this.markDeleted = this.db.prepare<[string, number]>(
      "UPDATE messages SET text = '', edited_at = NULL, deleted = 1 WHERE room = ? AND id = ? AND deleted = 0",
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

  async find(room: string, id: number): Promise<Message | undefined> {
    const row = this.selectOne.get(room, id);
    return row && toMessage(row);
  }

  async edit(room: string, id: number, text: string, editedAt: number): Promise<boolean> {
    return this.updateText.run(text, editedAt, room, id).changes > 0;
  }

  async remove(room: string, id: number): Promise<boolean> {
    return this.markDeleted.run(room, id).changes > 0;
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
