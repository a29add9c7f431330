import type { Namespace, Socket } from 'socket.io';
import type { NewsClientToServer, NewsItem, NewsServerToClient } from '../protocol/events.js';

export type NewsNamespace = Namespace<NewsClientToServer, NewsServerToClient>;
type NewsSocket = Socket<NewsClientToServer, NewsServerToClient>;

/** Subscriptions are Socket.IO rooms `topic:<name>` of the /news namespace. */
export const topicKey = (topic: string): string => `topic:${topic}`;

/**
 * Packets waiting in a client's Engine.IO write buffer past which it counts as not keeping up. A client
 * that reads normally has 0 to a few here (a long-polling client collects some between two polls).
 */
export const NEWS_BACKLOG_LIMIT = 32;

/** True when the client's transport has a backlog of unsent packets: it is not keeping up. */
function isBacklogged(socket: NewsSocket): boolean {
  // engine.io declares writeBuffer private but has no public measure of it; pinned via package-lock.
  const { writeBuffer } = socket.conn as unknown as { writeBuffer: readonly unknown[] };
  return writeBuffer.length >= NEWS_BACKLOG_LIMIT;
}

/**
 * Publishes items to a topic's subscribers at most once, dropping them for clients that cannot keep up.
 *
 * Why not Socket.IO's `.volatile`: it drops a packet whenever the transport is mid-write (between a write
 * and its callback), so in a burst healthy readers lose most items too. Instead, a client whose write
 * buffer holds a backlog is left out of this item, and everyone else gets it; server memory per client
 * stays bounded either way. `seq` rises by one per topic so clients count what they missed.
 */
export class NewsFeed {
  private readonly seqByTopic = new Map<string, number>();

  constructor(
    private readonly nsp: NewsNamespace,
    readonly topics: readonly string[],
  ) {}

  hasTopic(topic: string): boolean {
    return this.topics.includes(topic);
  }

  publish(topic: string, headline: string): NewsItem {
    const seq = (this.seqByTopic.get(topic) ?? 0) + 1;
    this.seqByTopic.set(topic, seq);
    const item: NewsItem = { topic, seq, headline, ts: Date.now() };
    const key = topicKey(topic);
    this.nsp.to(key).except(this.backloggedSubscribers(key)).emit('news', item);
    return item;
  }

  private backloggedSubscribers(key: string): string[] {
    const backlogged: string[] = [];
    for (const id of this.nsp.adapter.rooms.get(key) ?? []) {
      const socket = this.nsp.sockets.get(id);
      if (socket && isBacklogged(socket)) backlogged.push(id);
    }
    return backlogged;
  }
}
