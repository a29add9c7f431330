import type { Redis } from 'ioredis';
import { type Bus, Subscribers } from '../lib/bus.js';
import type { Logger } from '../lib/log.js';

/**
 * The bus of a cluster: Redis pub/sub on one channel, every message `{ topic, message }` as JSON. At most once
 * and nothing stored, so neither pushes chat messages out of the adapter's stream nor is replayed on recovery;
 * each node delivers to its own sockets with its own flow control.
 */
export class RedisBus implements Bus {
  private readonly subscribers: Subscribers;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    log: Logger,
  ) {
    const onError = (err: unknown, topic: string) => log.error({ err, topic }, 'a bus message failed');
    this.subscribers = new Subscribers(onError);
    subscriber.on('message', (from: string, raw: string) => {
      if (from !== this.channel) return;
      try {
        const { topic, message } = JSON.parse(raw) as { topic: string; message: unknown };
        this.subscribers.deliver(topic, message);
      } catch (err) {
        onError(err, '(unparseable)');
      }
    });
  }

  /**
   * Subscribed before it resolves, so no node publishes into the void at start. The subscriber connection must be
   * ready first: ioredis writes SUBSCRIBE while still connecting, then its ready check (INFO) fails in subscriber
   * mode and the reconnect loses the subscription. ioredis subscribes again by itself after a reconnect.
   */
  static async open(publisher: Redis, subscriber: Redis, channel: string, log: Logger): Promise<RedisBus> {
    const bus = new RedisBus(publisher, subscriber, channel, log);
    await subscriber.subscribe(channel);
    return bus;
  }

  async publish<T>(topic: string, message: T): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ topic, message }));
  }

  subscribe<T>(topic: string, handler: (message: T) => void): void {
    this.subscribers.add(topic, handler);
  }

  async close(): Promise<void> {
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
