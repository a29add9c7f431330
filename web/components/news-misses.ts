import type { NewsItem } from '../../server/protocol/events.js';

/**
 * News items missed, counted against what was published rather than only against what arrived: a gap in a
 * topic's `seq`, and the items of a topic that stopped arriving altogether. Socket.IO's `volatile` drops all but
 * the first emit of a burst, so with it only the first topic of each round arrives; counting gaps per topic
 * alone showed no loss at all for the topics that never came.
 *
 * The demo feed publishes every topic once per round (server/news/demo-feed.ts), so any topic's `seq` is a
 * clock for all of them: each topic's offset from that clock is learned from its first item, and when the
 * clock has moved a round past an item that has not arrived, the item is counted missed. One that then
 * arrives after all (the same round, a moment later) is taken back.
 *
 * @example const delta = misses.receive(item, ['markets', 'sports', 'tech']); // change of the missed count
 */
export class NewsMisses {
  /** Rounds of the feed seen so far: the highest `seq - offset` of any topic. */
  private round = 0;
  /** Per topic: its `seq` minus the round, learned from its first item. */
  private readonly offset = new Map<string, number>();
  /** Per topic: the highest `seq` accounted for (received, or counted missed). */
  private readonly accounted = new Map<string, number>();
  /** Per topic: the recent `seq`s counted missed that may still arrive late. */
  private readonly late = new Map<string, Set<number>>();

  /** An item arrived (the ticker passes each `seq` once); returns how much the missed count changes. */
  receive(item: Pick<NewsItem, 'topic' | 'seq'>, subscribed: readonly string[]): number {
    for (const topic of [...this.offset.keys()]) if (!subscribed.includes(topic)) this.forget(topic);
    let delta = 0;
    const offset = this.offset.get(item.topic);
    const accounted = this.accounted.get(item.topic);
    if (offset === undefined || accounted === undefined) {
      this.offset.set(item.topic, item.seq - this.round);
      this.accounted.set(item.topic, item.seq);
    } else if (item.seq <= accounted) {
      if (this.late.get(item.topic)?.delete(item.seq)) delta--; // counted missed a moment too early
    } else {
      delta += item.seq - accounted - 1;
      this.accounted.set(item.topic, item.seq);
      this.round = Math.max(this.round, item.seq - offset);
    }
    for (const topic of subscribed) if (topic !== item.topic) delta += this.overdue(topic);
    return delta;
  }

  /** Everything since a new connection (or a restarted server's sequence) is learned afresh. */
  reset(): void {
    this.round = 0;
    this.offset.clear();
    this.accounted.clear();
    this.late.clear();
  }

  private forget(topic: string): void {
    this.offset.delete(topic);
    this.accounted.delete(topic);
    this.late.delete(topic);
  }

  /** Items of `topic` from rounds before the current one that have not arrived: missed. */
  private overdue(topic: string): number {
    const offset = this.offset.get(topic);
    const accounted = this.accounted.get(topic);
    if (offset === undefined || accounted === undefined) return 0;
    const due = this.round - 1 + offset;
    if (due <= accounted) return 0;
    const late = this.late.get(topic) ?? new Set<number>();
    for (let seq = Math.max(accounted + 1, due - 2); seq <= due; seq++) late.add(seq);
    for (const seq of late) if (seq < due - 2) late.delete(seq);
    this.late.set(topic, late);
    this.accounted.set(topic, due);
    return due - accounted;
  }
}
