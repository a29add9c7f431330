import type { Namespace } from 'socket.io';
import type { Bus } from '../lib/bus.js';
import { type EngineConnection, NEWS_SKIP_BUFFERED_BYTES, bufferedBytes } from '../lib/backpressure.js';
import type { NewsClientToServer, NewsItem, NewsServerToClient } from '../protocol/events.js';
import type { NewsSequence } from '../stores/news-sequence.js';

export type NewsNamespace = Namespace<NewsClientToServer, NewsServerToClient>;

/** Subscriptions are Socket.IO rooms `topic:<name>` of the /news namespace. */
export const topicKey = (topic: string): string => `topic:${topic}`;
/** Subscribers who asked for Socket.IO's `volatile` delivery instead (the namespaces demo compares the two). */
export const volatileTopicKey = (topic: string): string => `topic-volatile:${topic}`;

/** The bus topic of published items. */
const NEWS_ITEMS = 'news:item';

/** A subscriber whose transport has been unable to take a packet for this long misses items. */
export const NEWS_STALL_MS = 1000;

/**
 * Publishes items to a topic's subscribers at most once, dropping them for clients that cannot keep up.
 *
 * Why not Socket.IO's `.volatile`: it drops a packet whenever the transport is mid-write (between a write
 * and its callback), so in a burst healthy readers lose most items too (issue 5 measured ~20% delivered).
 * Instead, a client for which the server already holds more than NEWS_SKIP_BUFFERED_BYTES unsent is left
 * out of this item, and so is one whose transport has taken nothing for NEWS_STALL_MS; everyone else gets it.
 * Counted in bytes, not packets, so a reader that keeps up takes a burst of a few hundred items; a stalled
 * one costs at most the threshold plus one item.
 * `seq` rises by one per topic (from the `NewsSequence` store, so also across restarts) so clients count what they missed.
 */
export class NewsFeed {
  /** When each subscriber's transport was first seen unable to take a packet, while it still is. */
  private readonly unwritableSince = new WeakMap<EngineConnection, number>();

  /** Items go to every node over the bus, and each node delivers them to its own subscribers. */
  constructor(
    private readonly nsp: NewsNamespace,
    readonly topics: readonly string[],
    private readonly sequence: NewsSequence,
    private readonly bus: Bus,
  ) {
    bus.subscribe<NewsItem>(NEWS_ITEMS, (item) => this.deliver(item));
  }

  hasTopic(topic: string): boolean {
    return this.topics.includes(topic);
  }

  async publish(topic: string, headline: string): Promise<NewsItem> {
    const seq = await this.sequence.next(topic);
    const item: NewsItem = { topic, seq, headline, ts: Date.now() };
    await this.bus.publish(NEWS_ITEMS, item);
    return item;
  }

  /** Sends an item to this process's subscribers of its topic, leaving out those that are behind. */
  private deliver(item: NewsItem): void {
    const key = topicKey(item.topic);
    this.nsp.to(key).except(this.backloggedSubscribers(key)).emit('news', item);
    this.nsp.to(volatileTopicKey(item.topic)).volatile.emit('news', item);
  }

  private backloggedSubscribers(key: string): string[] {
    const backlogged: string[] = [];
    const now = Date.now();
    for (const id of this.nsp.adapter.rooms.get(key) ?? []) {
      const socket = this.nsp.sockets.get(id);
      if (socket && this.isBehind(socket.conn, now)) backlogged.push(id);
    }
    return backlogged;
  }

  /**
   * Behind: over NEWS_SKIP_BUFFERED_BYTES waiting for it, or a transport that has taken nothing for NEWS_STALL_MS.
   * The second catches a stalled reader at low feed rates too (a long-polling client that stopped polling has an
   * unwritable transport), long before its backlog reaches the byte limit.
   */
  private isBehind(conn: EngineConnection, now: number): boolean {
    if (bufferedBytes(conn, NEWS_SKIP_BUFFERED_BYTES + 1) > NEWS_SKIP_BUFFERED_BYTES) return true;
    if (conn.transport.writable) {
      this.unwritableSince.delete(conn);
      return false;
    }
    const since = this.unwritableSince.get(conn);
    if (since === undefined) this.unwritableSince.set(conn, now);
    return since !== undefined && now - since >= NEWS_STALL_MS;
  }
}
