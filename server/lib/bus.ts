/**
 * Messages between the nodes of a deployment, by topic: each published message reaches every node's
 * subscribers, this node's included, at most once (nothing is stored, nothing is replayed). One process is a
 * cluster of one, with the in-process bus; a cluster uses Redis pub/sub (cluster/redis-bus.ts). Modelled on
 * Phoenix.PubSub: features publish and subscribe to their own topics and never ask which bus they have.
 */
export interface Bus {
  publish<T>(topic: string, message: T): Promise<void>;
  /** Handlers run in the order they subscribed; one that throws is logged by the bus, not by the publisher. */
  subscribe<T>(topic: string, handler: (message: T) => void): void;
  close(): Promise<void>;
}

/** Calls every handler of a topic; a handler's error goes to `onError`, the other handlers still run. */
export class Subscribers {
  private readonly handlers = new Map<string, ((message: unknown) => void)[]>();

  constructor(private readonly onError: (err: unknown, topic: string) => void) {}

  add(topic: string, handler: (message: never) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler as (message: unknown) => void]);
  }

  deliver(topic: string, message: unknown): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(message);
      } catch (err) {
        this.onError(err, topic);
      }
    }
  }
}

/** The bus of one process: a publish is delivered to this process's subscribers before it resolves. */
export class LocalBus implements Bus {
  private readonly subscribers: Subscribers;

  constructor(onError: (err: unknown, topic: string) => void) {
    this.subscribers = new Subscribers(onError);
  }

  publish<T>(topic: string, message: T): Promise<void> {
    this.subscribers.deliver(topic, message);
    return Promise.resolve();
  }

  subscribe<T>(topic: string, handler: (message: T) => void): void {
    this.subscribers.add(topic, handler);
  }

  async close(): Promise<void> {}
}
