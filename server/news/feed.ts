import type { Namespace } from 'socket.io';
import type { NewsClientToServer, NewsItem, NewsServerToClient } from '../protocol/events.js';

export type NewsNamespace = Namespace<NewsClientToServer, NewsServerToClient>;

/** Subscriptions are Socket.IO rooms `topic:<name>` of the /news namespace. */
export const topicKey = (topic: string): string => `topic:${topic}`;

/**
 * Publishes items to a topic's subscribers as volatile emits: a client whose transport is busy drops
 * the item instead of queueing it on the server. `seq` rises by one per topic so clients can count gaps.
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
    this.nsp.to(topicKey(topic)).volatile.emit('news', item);
    return item;
  }
}
