import type { Pool } from 'pg';
import type { Message } from '../protocol/events.js';
import type { AppendResult, FoundMessage, HistoryStore, NewMessage, StorageHealth } from './history.js';
import type { AuditRecord } from './audit.js';
import { type MessageRow as Row, toMessage } from './message-row.js';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';
import { LOCK_CLASS, MIGRATION_LOCK } from './pg-migrations.js';

interface Pending {
  input: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

/** The second key of a room's lock; 32-bit FNV-1a, so the order of taking them is the same in every process. */
export function roomLockKey(room: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(room)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash | 0) === MIGRATION_LOCK ? 1 : hash | 0;
}

const MARK_DELETED =
  "UPDATE messages SET text = '', edited_at = NULL, deleted = true WHERE room = $1 AND id = $2 AND NOT deleted";

/**
 * A page's rows are those kept by retention (`ts >= since`, $2; see HistoryStore). The lower bound on id (the
 * room's first kept message, one probe of messages_room_ts) keeps a page at the start of the room from walking
 * over rows the sweep has not purged yet.
 */
const KEPT = `ts >= $2 AND id >= coalesce(
  (SELECT k.id FROM messages k WHERE k.room = $1 AND k.ts >= $2 ORDER BY k.ts LIMIT 1), ${Number.MAX_SAFE_INTEGER})`;

/** Deadlock or serialization failure: the transaction did nothing and can run again. */
const isRetryable = (err: unknown) => ['40P01', '40001'].includes((err as { code?: string }).code ?? '');

/**
 * History in PostgreSQL. Like SqliteHistory, appends that arrive while a commit is under way share the next
 * transaction (group commit), and each promise resolves only after its COMMIT returned.
 *
 * Ids rise in commit order within a room: before taking ids, a transaction takes a transaction-scoped
 * advisory lock per room it writes (in key order, so two batches cannot deadlock). The next writer of that
 * room gets the lock only once this transaction is committed and visible, so it draws a larger id from the
 * sequence; a reader paging with `after: lastSeenId` can never later see a smaller id appear.
 */
export class PgHistory implements HistoryStore {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** The error code of the last failed commit, until one succeeds (PostgreSQL itself is not asked: too slow). */
  private lastWriteError: string | undefined;

  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  append(input: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  async latest(room: string, limit: number, since = 0): Promise<Message[]> {
    return this.select(
      `SELECT * FROM (SELECT * FROM messages WHERE room = $1 AND ${KEPT} ORDER BY id DESC LIMIT $3) m ORDER BY id`,
      [room, since, limit],
    );
  }

  async before(room: string, id: number, limit: number, since = 0): Promise<Message[]> {
    return this.select(
      `SELECT * FROM (SELECT * FROM messages WHERE room = $1 AND ${KEPT} AND id < $4
       ORDER BY id DESC LIMIT $3) m ORDER BY id`,
      [room, since, limit, id],
    );
  }

  async after(room: string, id: number, limit: number, since = 0): Promise<Message[]> {
    return this.select(`SELECT * FROM messages WHERE room = $1 AND ${KEPT} AND id > $4 ORDER BY id LIMIT $3`, [
      room,
      since,
      limit,
      id,
    ]);
  }

  async find(room: string, id: number): Promise<FoundMessage | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM messages WHERE room = $1 AND id = $2', [room, id]);
    const row = rows[0];
    return row && { message: toMessage(row), author: row.author ?? undefined };
  }

  async edit(room: string, id: number, text: string, editedAt: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE messages SET text = $1, edited_at = $2 WHERE room = $3 AND id = $4 AND NOT deleted',
      [text, editedAt, room, id],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * The clientId stays, so a late retry of the deleted message is still recognised and not stored again. With
   * `audit`, the delete and its entry are one transaction.
   */
  async remove(room: string, id: number, audit?: AuditRecord): Promise<boolean> {
    if (!audit) return ((await this.pool.query(MARK_DELETED, [room, id])).rowCount ?? 0) > 0;
    return inTransaction(this.pool, async (client) => {
      const removed = ((await client.query(MARK_DELETED, [room, id])).rowCount ?? 0) > 0;
      if (removed) await appendAudit(client, audit);
      return removed;
    });
  }

  health(): StorageHealth {
    if (this.lastWriteError === undefined) return { ok: true, store: 'postgres' };
    return { ok: false, store: 'postgres', problem: 'failing', error: this.lastWriteError };
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.release();
  }

  private async select(sql: string, params: unknown[]): Promise<Message[]> {
    const { rows } = await this.pool.query<Row>(sql, params);
    return rows.map(toMessage);
  }

  /** One transaction at a time; whatever queued meanwhile goes into the next one. */
  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const inputs = batch.map((pending) => pending.input);
        const results = await storeBatch(this.pool, inputs).catch((err: unknown) => {
          if (isRetryable(err)) return storeBatch(this.pool, inputs);
          throw err;
        });
        this.lastWriteError = undefined;
        batch.forEach((pending, i) => pending.resolve(results[i]!));
      } catch (err) {
        this.lastWriteError = (err as { code?: string }).code ?? 'ERROR';
        for (const pending of batch) pending.reject(err);
      }
    }
    this.flushing = undefined;
  }
}

/** The key under which a repeated send is recognised; undefined for a message without a clientId. */
const dedupKey = (input: NewMessage) =>
  input.clientId === undefined ? undefined : JSON.stringify([input.nick, input.clientId]);

/**
 * Stores a batch in one round trip, whatever its size: `append_messages` (migration 13) takes the rooms' locks,
 * draws the ids (in input order, so a batch keeps its order) and inserts every new row, in one statement and so
 * one transaction. Its statement is named, so each connection plans it once (planning took as long as running
 * it). A clientId repeated inside the batch is sent once; one that is already stored (or that a concurrent
 * transaction stores first: the unique index waits for it) inserts nothing, and the first row is read back.
 */
async function storeBatch(pool: Pool, inputs: NewMessage[]): Promise<AppendResult[]> {
  const firstIndex = new Map<string, number>();
  const unique = inputs.filter((input, i) => {
    const key = dedupKey(input);
    if (key === undefined) return true;
    if (firstIndex.has(key)) return false;
    firstIndex.set(key, i);
    return true;
  });
  const keys = [...new Set(unique.map((input) => roomLockKey(input.room)))].sort((a, b) => a - b);
  // One row per unique input, in their order; id NULL where its clientId was stored before.
  const { rows } = await pool.query<Row | { id: null }>({
    name: 'history:append',
    text: 'SELECT * FROM append_messages($1, $2, $3, $4, $5, $6, $7)',
    values: [
      LOCK_CLASS,
      keys,
      unique.map((m) => m.room),
      unique.map((m) => m.nick),
      unique.map((m) => m.text),
      unique.map((m) => m.clientId ?? null),
      unique.map((m) => m.author),
    ],
  });
  const stored = new Map<NewMessage, AppendResult>();
  const missing: NewMessage[] = [];
  unique.forEach((input, i) => {
    const row = rows[i]!;
    if (row.id !== null) stored.set(input, { message: toMessage(row), isNew: true });
    else missing.push(input);
  });
  if (missing.length > 0) {
    const earlier = await pool.query<Row>(
      `SELECT m.* FROM messages m JOIN unnest($1::text[], $2::text[]) AS k(nick, client_id)
       ON m.nick = k.nick AND m.client_id = k.client_id`,
      [missing.map((m) => m.nick), missing.map((m) => m.clientId)],
    );
    const found = new Map(earlier.rows.map((row) => [JSON.stringify([row.nick, row.client_id]), toMessage(row)]));
    for (const input of missing) {
      const message = found.get(dedupKey(input)!);
      if (!message) throw new Error('clientId conflict without an earlier row');
      stored.set(input, { message, isNew: false });
    }
  }
  return inputs.map((input) => {
    const own = stored.get(input);
    if (own) return own;
    const first = inputs[firstIndex.get(dedupKey(input)!)!]!; // a repeat within this batch
    return { message: stored.get(first)!.message, isNew: false };
  });
}
