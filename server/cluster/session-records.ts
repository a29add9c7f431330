import { decode, encode } from '@msgpack/msgpack';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import type { Logger } from '../lib/log.js';

/** The adapter's key prefix for session records (its `sessionKeyPrefix` default). */
export const SESSION_KEY_PREFIX = 'sio:session:';

/** Session records written per Redis pipeline (see `SessionRecords.write`). */
export const RECORDS_PER_PIPELINE = 500;

/** What Socket.IO hands `adapter.persistSession` and gets back from `restoreSession` (socket.io `socket.ts`). */
export interface SessionRecord {
  sid: string;
  pid: string;
  rooms: string[];
  data: unknown;
  /** The node that wrote the record ahead, while the socket was connected there (see LiveSockets). */
  node?: string;
}

/**
 * The private session id Socket.IO gives a socket when connection state recovery is on. It is a private field
 * (socket.io 4.8.4, pinned; test/cluster/session-records.test.ts checks it is still there).
 */
export function privateSessionId(socket: Socket): string | undefined {
  const pid = (socket as unknown as { pid?: unknown }).pid;
  return typeof pid === 'string' ? pid : undefined;
}

/**
 * `@socket.io/redis-streams-adapter` writes a socket's session record only when its connection closes on a live
 * node (socket.io-redis-streams-adapter#27), so a client whose node was killed could not resume anywhere.
 * This writes the same record (msgpack, base64, at `sio:session:<pid>`) ahead of time: on connect, join,
 * leave, register and every `refreshMs`, expiring after the recovery window. Any node can then restore it, once
 * it knows the socket is gone (LiveSockets).
 */
export class SessionRecords {
  private readonly pending = new Set<Socket>();
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly nodeId: string,
    private readonly log: Logger,
  ) {}

  static encode(record: SessionRecord): string {
    return Buffer.from(encode(record)).toString('base64');
  }

  static decode(raw: string): SessionRecord {
    return decode(Buffer.from(raw, 'base64')) as SessionRecord;
  }

  /** Writes the socket's record soon (once per event-loop turn, however many changes it had). */
  touch(socket: Socket): void {
    this.pending.add(socket);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const sockets = [...this.pending];
      this.pending.clear();
      this.write(sockets).catch((err) => this.log.warn({ err }, 'writing session records failed'));
    });
  }

  /**
   * Writes the records in pipelines of RECORDS_PER_PIPELINE, one after the other: the refresh of a node's 18,000
   * sockets as one pipeline held its event loop for 250-400 ms every refresh (issue 24's scale run), a stall every
   * client saw. Other events run between pipelines; a socket that disconnects meanwhile is skipped.
   */
  async write(sockets: Iterable<Socket>): Promise<void> {
    let batch = this.redis.pipeline();
    for (const socket of sockets) {
      const pid = privateSessionId(socket);
      if (pid === undefined || socket.disconnected) continue;
      const record = { sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data as unknown, node: this.nodeId };
      batch.set(SESSION_KEY_PREFIX + pid, SessionRecords.encode(record), 'PX', this.ttlMs);
      if (batch.length < RECORDS_PER_PIPELINE) continue;
      await batch.exec();
      batch = this.redis.pipeline();
    }
    if (batch.length > 0) await batch.exec();
  }

  /** After a deliberate disconnect there is nothing to resume. */
  async forget(socket: Socket): Promise<void> {
    const pid = privateSessionId(socket);
    if (pid !== undefined) await this.redis.del(SESSION_KEY_PREFIX + pid);
  }
}
