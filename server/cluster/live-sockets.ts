import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Namespace } from 'socket.io';
import type { Bus } from '../lib/bus.js';
import { SESSION_KEY_PREFIX, SessionRecords } from './session-records.js';

/** Is socket `sid` connected on `node`? Asked before a session written ahead on that node is restored. */
interface SocketQuery {
  id: string;
  node: string;
  sid: string;
  from: string;
}

/** The answer of `node` to the node `to`. */
interface SocketAnswer {
  id: string;
  to: string;
  connected: boolean;
}

const QUERY = 'socket:query';
const ANSWER = 'socket:answer';

/**
 * How long a node waits for the node that wrote a session record to say whether the socket is still connected.
 * No answer means the node is gone (killed, cut off): its clients are failing over and get their sessions back,
 * this much later than they would without the check.
 */
export const OWNER_ANSWER_MS = 1000;

/**
 * Whether the socket of a session record is still connected somewhere, so that its recovery credentials (pid and
 * offset) cannot be replayed while it lives. Session records are written ahead (see SessionRecords) so that a
 * client can resume when its node dies; but a live socket's record can be presented by a second connection too,
 * and the stream adapter would hand it out: two sockets with one id, and a member that never leaves. A record
 * written ahead names its node; that node is asked over the bus. A record the adapter wrote when the socket
 * disconnected names none: that socket is gone.
 */
export class LiveSockets {
  private readonly waiting = new Map<string, (connected: boolean) => void>();
  private chat: Namespace | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly bus: Bus,
    private readonly nodeId: string,
    onError: (err: unknown) => void,
    private readonly answerMs = OWNER_ANSWER_MS,
  ) {
    bus.subscribe<SocketQuery>(QUERY, (query) => void this.answer(query).catch(onError));
    bus.subscribe<SocketAnswer>(ANSWER, (answer) => this.settle(answer));
  }

  /** The /chat namespace of this node, whose sockets it answers for. */
  attach(chat: Namespace): void {
    this.chat = chat;
  }

  /** Whether the socket whose record is kept under `pid` is connected on this or another live node. */
  async isConnected(pid: string): Promise<boolean> {
    const raw = await this.redis.get(SESSION_KEY_PREFIX + pid);
    if (raw === null) return false;
    const { sid, node } = SessionRecords.decode(raw);
    if (node === undefined) return false;
    if (node === this.nodeId) return this.hasLocal(sid);
    return this.ask({ id: randomUUID(), node, sid, from: this.nodeId });
  }

  /** A query on the bus: answered only by the node it is for. */
  private answer(query: SocketQuery): Promise<void> {
    if (query.node !== this.nodeId) return Promise.resolve();
    const connected = this.hasLocal(query.sid);
    return this.bus.publish<SocketAnswer>(ANSWER, { id: query.id, to: query.from, connected });
  }

  /** An answer on the bus, to this node's question or another's. */
  private settle(answer: SocketAnswer): void {
    if (answer.to === this.nodeId) this.waiting.get(answer.id)?.(answer.connected);
  }

  private hasLocal(sid: string): boolean {
    return this.chat?.sockets.get(sid)?.connected === true;
  }

  private async ask(query: SocketQuery): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<boolean>((resolve) => {
      this.waiting.set(query.id, resolve);
      timer = setTimeout(() => resolve(false), this.answerMs);
    });
    try {
      await this.bus.publish(QUERY, query);
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(query.id);
    }
  }
}
