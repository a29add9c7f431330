import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.js';
import type { NewsItem } from '../protocol/events.js';

/** A typing notice on its way to every node: `from` is the sender's socket, left out of the delivery. */
export interface TypingNotice {
  room: string;
  nick: string;
  from: string;
}

/** A ban of this nick key in this room changed: nodes drop what they cached of it (see CachedBans). */
export interface BanChange {
  room: string;
  nickKey: string;
}

/** Is socket `sid` connected on `node`? Asked before a session written ahead on that node is restored. */
export interface SocketQuery {
  kind: 'socket:query';
  id: string;
  node: string;
  sid: string;
  from: string;
}

/** The answer of `node` to the node `to`. */
export interface SocketAnswer {
  kind: 'socket:answer';
  id: string;
  to: string;
  connected: boolean;
}

export type Relayed =
  | { kind: 'news'; item: NewsItem }
  | { kind: 'typing'; notice: TypingNotice }
  | { kind: 'ban'; change: BanChange }
  | SocketQuery
  | SocketAnswer;

/**
 * Carries news items, typing notices, ban changes and questions about live sockets to every node (this one included) over Redis pub/sub: at most once,
 * nothing stored, so neither pushes chat messages out of the adapter's stream nor is replayed on recovery.
 * Each node then delivers to its own sockets with its own flow control.
 */
export class RedisRelay {
  private handler: (relayed: Relayed) => void = () => undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    log: Logger,
  ) {
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      try {
        this.handler(JSON.parse(raw) as Relayed);
      } catch (err) {
        log.error({ err }, 'relayed item failed');
      }
    });
  }

  /** ioredis subscribes again by itself after a reconnect. */
  async start(handler: (relayed: Relayed) => void): Promise<void> {
    this.handler = handler;
    await this.subscriber.subscribe(this.channel);
  }

  async publish(relayed: Relayed): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(relayed));
  }
}
