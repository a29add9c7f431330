import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Message } from '../protocol/events.js';
import type { AppendResult, FoundMessage, HistoryStore, NewMessage, StorageHealth } from './history.js';
import type { AuditRecord } from './audit.js';
import { type MessageRow as Row, toMessage } from './message-row.js';
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { type SqliteSettings, writeProblem } from './sqlite-settings.js';

interface Pending {
  input: NewMessage;
  /** When it is answered INTERNAL if the write lock is still held by another process. */
  deadline: number;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

interface PageParams {
  room: string;
  id: number;
  limit: number;
  since: number;
}

/**
 * A page's rows are those kept by retention (`ts >= since`, see HistoryStore). `+ts` keeps the planner on
 * messages_room_id, which gives the order; the lower bound on id (the room's first kept message, one seek in
 * messages_room_ts) keeps a page at the start of the room from walking over rows the sweep has not purged yet.
 */
const KEPT = `+ts >= @since AND id >= coalesce(
  (SELECT id FROM messages WHERE room = @room AND ts >= @since ORDER BY ts LIMIT 1), ${Number.MAX_SAFE_INTEGER})`;

/** A page read newest first (`ORDER BY id DESC LIMIT`), as the protocol sends it: oldest first. */
const oldestFirst = (rows: Row[]): Message[] => rows.reverse().map(toMessage);

/** After a failed commit, /healthz tries a small commit of its own at most this often (see `writesAgain`). */
const WRITE_PROBE_EVERY_MS = 1000;

/**
 * History in the SQLite database (`<dataDir>/chat.db`, synchronous=FULL: see SqliteDatabase). Appends that
 * arrive in the same event-loop turn share one transaction (group commit): one fsync for many messages, and
 * nobody is acknowledged before that commit returns.
 *
 * better-sqlite3 is synchronous, and waits for a lock held by another process (a backup, an sqlite3 shell)
 * by blocking the whole event loop, 5 s per write by default. Here it waits `busyTimeoutMs` (20 ms); a batch
 * that still finds the lock taken goes back to the queue and is tried again every `retryMs`, until each
 * append's `writeTimeoutMs` has passed and it is rejected (the client gets INTERNAL). Reads are not blocked
 * by a writer in WAL mode.
 */
export class SqliteHistory implements HistoryStore {
  private readonly db: Database.Database;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly path: string;
  private readonly settings: SqliteSettings;
  /** The error code of the last failed commit, until one succeeds. */
  private lastWriteError: string | undefined;
  private lastProbeAt = 0;
  private readonly probeWrite;
  private readonly insert;
  private readonly findByClientId;
  private readonly selectLatest;
  private readonly selectBefore;
  private readonly selectAfter;
  private readonly selectOne;
  private readonly updateText;
  private readonly removeOne;
  private readonly commitBatch;
  private readonly release: () => void;

  /** Holds the database open until `close`; its settings say how long a send waits for the write lock. */
  constructor(database: SqliteDatabase) {
    this.db = database.connection;
    this.path = database.path;
    this.settings = database.settings;
    this.insert = this.db.prepare<[string, string, string, string, number, string | null], Row>(
      'INSERT INTO messages (room, nick, author, text, ts, client_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
    );
    this.findByClientId = this.db.prepare<[string, string], Row>(
      'SELECT * FROM messages WHERE nick = ? AND client_id = ?',
    );
    // Newest first, put oldest first by `oldestFirst`: sorting the page again in SQL took a temporary B-tree and
    // made a room:join's history page cost 13-44% more (docs/performance.md).
    this.selectLatest = this.db.prepare<PageParams, Row>(
      `SELECT * FROM messages WHERE room = @room AND ${KEPT} ORDER BY id DESC LIMIT @limit`,
    );
    this.selectBefore = this.db.prepare<PageParams, Row>(
      `SELECT * FROM messages WHERE room = @room AND id < @id AND ${KEPT} ORDER BY id DESC LIMIT @limit`,
    );
    this.selectAfter = this.db.prepare<PageParams, Row>(
      `SELECT * FROM messages WHERE room = @room AND id > @id AND ${KEPT} ORDER BY id LIMIT @limit`,
    );
    // A page's worth of data, so it needs space of its own; deleted in the same transaction.
    const [probeInsert, probeDelete] = [
      this.db.prepare('INSERT INTO write_probe (data) VALUES (zeroblob(4096))'),
      this.db.prepare('DELETE FROM write_probe'),
    ];
    this.probeWrite = this.db.transaction(() => {
      probeInsert.run();
      probeDelete.run();
    });
    this.selectOne = this.db.prepare<[string, number], Row>('SELECT * FROM messages WHERE room = ? AND id = ?');
    this.updateText = this.db.prepare<[string, number, string, number]>(
      'UPDATE messages SET text = ?, edited_at = ? WHERE room = ? AND id = ? AND deleted = 0',
    );
    // The clientId stays, so a late retry of the deleted message is still recognised and not stored again.
    const markDeleted = this.db.prepare<[string, number]>(
      "UPDATE messages SET text = '', edited_at = NULL, deleted = 1 WHERE room = ? AND id = ? AND deleted = 0",
    );
    const audit = auditWriter(this.db);
    // A moderator's delete and its audit entry commit together; a message deleted already records nothing.
    this.removeOne = this.db.transaction((room: string, id: number, record?: AuditRecord) => {
      const removed = markDeleted.run(room, id).changes > 0;
      if (removed && record) audit(record);
      return removed;
    });
    this.commitBatch = this.db.transaction((batch: Pending[]) => batch.map((p) => this.store(p.input)));
    this.release = database.retain();
  }

  append(input: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject, deadline: Date.now() + this.settings.writeTimeoutMs });
      if (!this.flushScheduled && !this.retryTimer) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async latest(room: string, limit: number, since = 0): Promise<Message[]> {
    return oldestFirst(this.selectLatest.all({ room, id: 0, limit, since }));
  }

  async before(room: string, id: number, limit: number, since = 0): Promise<Message[]> {
    return oldestFirst(this.selectBefore.all({ room, id, limit, since }));
  }

  async after(room: string, id: number, limit: number, since = 0): Promise<Message[]> {
    return this.selectAfter.all({ room, id, limit, since }).map(toMessage);
  }

  async find(room: string, id: number): Promise<FoundMessage | undefined> {
    const row = this.selectOne.get(room, id);
    return row && { message: toMessage(row), author: row.author ?? undefined };
  }

  async edit(room: string, id: number, text: string, editedAt: number): Promise<boolean> {
    return this.updateText.run(text, editedAt, room, id).changes > 0;
  }

  async remove(room: string, id: number, audit?: AuditRecord): Promise<boolean> {
    return this.removeOne(room, id, audit);
  }

  /**
   * Whether a send could be stored now: the file is there, no other process holds the write lock (tried
   * without waiting), and the last commit did not fail, or a small commit works again (a full disk shows
   * only when a write fails).
   */
  health(): StorageHealth {
    if (!existsSync(this.path)) return { ok: false, store: 'sqlite', problem: 'gone' };
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
    } catch (err) {
      return { ok: false, store: 'sqlite', problem: writeProblem(err), error: (err as { code?: string }).code };
    } finally {
      this.db.pragma(`busy_timeout = ${this.settings.busyTimeoutMs}`);
    }
    // A write that found the lock taken says nothing now: the attempt above found it free.
    const error = this.lastWriteError;
    if (error === undefined || writeProblem(error) === 'locked' || this.writesAgain())
      return { ok: true, store: 'sqlite' };
    return { ok: false, store: 'sqlite', problem: writeProblem(error), error };
  }

  /**
   * Whether a commit works again after one failed (a full disk that was cleared), so that /healthz does not
   * wait for the next send to find out. Tried at most every WRITE_PROBE_EVERY_MS.
   */
  private writesAgain(): boolean {
    const now = Date.now();
    if (now - this.lastProbeAt < WRITE_PROBE_EVERY_MS) return false;
    this.lastProbeAt = now;
    try {
      this.probeWrite();
    } catch {
      return false;
    }
    this.lastWriteError = undefined;
    return true;
  }

  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.flush();
    for (const pending of this.queue) pending.reject(new Error('the history is closed'));
    this.queue = [];
    this.release();
  }

  private store(input: NewMessage): AppendResult {
    const clientId = input.clientId ?? null;
    if (clientId !== null) {
      const earlier = this.findByClientId.get(input.nick, clientId);
      if (earlier) return { message: toMessage(earlier), isNew: false };
    }
    const row = this.insert.get(input.room, input.nick, input.author, input.text, Date.now(), clientId);
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return { message: toMessage(row), isNew: true };
  }

  private flush(): void {
    this.flushScheduled = false;
    this.retryTimer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let results: AppendResult[];
    try {
      // A removed file would take the commit into an unlinked inode: acknowledged, but gone at the next start.
      if (!existsSync(this.path)) throw Object.assign(new Error('the database file is gone'), { code: 'ENOENT' });
      results = this.commitBatch(batch);
    } catch (err) {
      this.lastWriteError = (err as { code?: string }).code ?? 'ERROR';
      this.failOrRetry(batch, err);
      return;
    }
    this.lastWriteError = undefined;
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  }

  /** A lock held by another process ends sooner or later: retry until each append's deadline, in order. */
  private failOrRetry(batch: Pending[], err: unknown): void {
    const now = Date.now();
    const retry = writeProblem(err) === 'locked' ? batch.filter((p) => p.deadline > now) : [];
    const retried = new Set(retry);
    for (const pending of batch) if (!retried.has(pending)) pending.reject(err);
    if (retry.length === 0) return;
    this.queue = [...retry, ...this.queue];
    this.retryTimer = setTimeout(() => this.flush(), this.settings.retryMs);
  }
}
