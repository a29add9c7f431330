import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Socket } from 'socket.io-client';
import type { NewsClientToServer, NewsDelivery, NewsItem, NewsServerToClient } from '../../server/protocol/events.js';
import type { ConnectionStatus } from './chat-connection.js';
import { namespaceSocket, serverOrigin } from './manager.js';
import { serverAnswers, warnRefusedOrigin } from './origin-check.js';
import { request } from './request.js';

export type NewsSocket = Socket<NewsServerToClient, NewsClientToServer>;

/** Window over which items per second are averaged. */
const RATE_WINDOW_MS = 5000;

/**
 * The /news socket of one `<news-ticker>`, on the page's shared Manager. News is volatile (at most once):
 * a `seq` jump of more than one means items were dropped for us, and they are counted, not fetched.
 */
export class NewsConnection implements ReactiveController {
  status: ConnectionStatus = 'connecting';
  socket: NewsSocket | undefined;
  topics: string[] = [];
  readonly subscribed = new Set<string>();
  missed = 0;
  received = 0;
  /** How the server sends this ticker's topics; `volatile` is for comparing (the namespaces demo). */
  delivery: NewsDelivery = 'flow-controlled';
  private readonly lastSeq = new Map<string, number>();
  private probing = false;
  private arrivals: number[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: {
      server: () => string;
      wanted: () => string[] | undefined;
      onItem: (item: NewsItem, missed: number) => void;
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.socket) {
      this.socket = namespaceSocket(this.options.server(), '/news');
      this.socket.on('news', this.handleItem);
    }
    this.socket.on('connect', this.handleConnect).on('disconnect', this.handleDisconnect);
    this.socket.on('connect_error', this.handleConnectError);
    this.socket.connect();
  }

  hostDisconnected(): void {
    this.socket?.off('connect', this.handleConnect).off('disconnect', this.handleDisconnect);
    this.socket?.off('connect_error', this.handleConnectError);
    this.socket?.disconnect();
  }

  /** Items per second over the last few seconds. */
  rate(now = Date.now()): number {
    this.arrivals = this.arrivals.filter((t) => now - t < RATE_WINDOW_MS);
    return this.arrivals.length / (RATE_WINDOW_MS / 1000);
  }

  /** Subscribes or unsubscribes; on a timeout or disconnect nothing changes (the next connect subscribes again). */
  async toggle(topic: string, on: boolean): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    const subscription = this.delivery === 'flow-controlled' ? topic : { topic, delivery: this.delivery };
    const res = on
      ? await request(socket, 'news:subscribe', subscription)
      : await request(socket, 'news:unsubscribe', topic);
    if (res?.ok) {
      if (on) this.subscribed.add(topic);
      else this.subscribed.delete(topic);
      this.lastSeq.delete(topic); // gaps count only while subscribed
    }
    this.host.requestUpdate();
  }

  /** Switches the delivery of every subscribed topic (subscribing again switches it on the server). */
  async setDelivery(delivery: NewsDelivery): Promise<void> {
    this.delivery = delivery;
    for (const topic of [...this.subscribed]) await this.toggle(topic, true);
  }

  private handleConnect = () => {
    this.status = 'online';
    this.host.requestUpdate();
    void this.subscribeAgain();
  };

  /** A new connection is in no topic (unless Socket.IO recovered it): subscribe to what was wanted. */
  private async subscribeAgain(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.recovered) return; // subscriptions (Socket.IO rooms) came back with the connection
    this.lastSeq.clear(); // a new connection (perhaps to a restarted server) starts counting afresh
    const res = await request(socket, 'news:topics');
    if (!res?.ok) return;
    const topics = res.topics;
    this.topics = topics;
    const wanted = this.subscribed.size > 0 ? [...this.subscribed] : (this.options.wanted() ?? topics);
    this.subscribed.clear();
    for (const topic of wanted.filter((t) => topics.includes(t))) await this.toggle(topic, true);
    this.host.requestUpdate();
  }

  /** As for `<chat-app>`: a first handshake that fails while the server answers means a refused origin. */
  private handleConnectError = () => {
    const server = serverOrigin(this.options.server());
    if (server === location.origin || this.status !== 'connecting' || this.probing) return;
    this.probing = true;
    void serverAnswers(server).then((answers) => {
      this.probing = false;
      if (!answers || this.socket?.connected || this.status !== 'connecting') return;
      this.status = 'refused';
      warnRefusedOrigin(server);
      this.host.requestUpdate();
    });
  };

  private handleDisconnect = () => {
    this.status = 'offline';
    this.host.requestUpdate();
  };

  private handleItem = (item: NewsItem) => {
    const last = this.lastSeq.get(item.topic);
    const gap = last === undefined ? 0 : Math.max(0, item.seq - last - 1);
    if (last !== undefined && item.seq <= last) return; // a repeat or reordering; nothing new
    this.lastSeq.set(item.topic, item.seq);
    this.missed += gap;
    this.received++;
    this.arrivals.push(Date.now());
    this.options.onItem(item, gap);
    this.host.requestUpdate();
  };
}
