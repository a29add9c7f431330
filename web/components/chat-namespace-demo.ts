import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Manager } from 'socket.io-client';
import type { NewsDelivery } from '../../server/protocol/events.js';
import { setReading, sharedManager } from '../connection/manager.js';
import { NewsMisses } from './news-misses.js';
import { theme } from './theme.js';
import { chatNamespaceDemoStyles } from './chat-namespace-demo-styles.js';

type Socket = NonNullable<Manager['engine']>;
interface Counts {
  in: number;
  out: number;
}
interface AckTimes {
  count: number;
  totalMs: number;
  lastMs: number;
}
/** One of your chat messages, from the packet that sent it to the ack that says it is stored. */
interface SentMessage {
  key: string;
  text: string;
  state: 'sending' | 'stored' | 'refused';
  ms?: number;
}
interface DeliveryCounts {
  received: number;
  missed: number;
}
type Reader = 'healthy' | 'slow';

const DELIVERIES: readonly NewsDelivery[] = ['flow-controlled', 'volatile'];
const READERS: readonly Reader[] = ['healthy', 'slow'];
/** type, binary attachments, `/nsp,` unless main, ack id, JSON (socket.io-parser's encoding) */
const PACKET = /^(\d)(?:\d+-)?(?:(\/[^,]*),)?(\d*)([\s\S]*)$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** engine.io-client's long-polling transport, reached into for the demo: `pause` is what its upgrade uses. */
interface PollingTransport {
  name: string;
  readyState: string;
  pause(onPause: () => void): void;
  _poll?: () => void;
}

/**
 * The namespaces demo: counts Socket.IO packets and acknowledgements (with round trips) per namespace on the
 * page's one engine.io connection, shows when each of your chat messages is stored (its ack), can make this
 * page a slow reader to show news being dropped for it while chat is not, and switches the ticker between the
 * product's flow-controlled delivery and Socket.IO's `volatile` flag, counting what each drops.
 * @csspart base - the panel
 * @csspart counters - the table of packets and acks per namespace
 * @csspart slow-toggle - the switch that slows this page
 * @csspart delivery-toggle - the switch between flow-controlled and volatile news
 * @csspart deliveries - the table of news received and missed per delivery and reader
 * @csspart sent - your latest chat messages with their "stored" tick
 */
export class ChatNamespaceDemo extends LitElement {
  static override styles = [theme, chatNamespaceDemoStyles];

  @property() server = '';
  /** While slowed down, the page stops reading for this long, then reads for `read-ms`, and again. */
  @property({ type: Number, attribute: 'pause-ms' }) pauseMs = 15_000;
  @property({ type: Number, attribute: 'read-ms' }) readMs = 1_000;
  @state() private counts = new Map<string, Counts>();
  @state() private acks = new Map<string, AckTimes>();
  @state() private sent: SentMessage[] = [];
  @state() private delivery: NewsDelivery = 'flow-controlled';
  @state() private deliveries = new Map<string, DeliveryCounts>();
  /** Requests waiting for their ack: `nsp#id` → when sent. */
  private readonly awaiting = new Map<string, number>();
  @state() private transport = '—';
  @state() private connections = 0;
  @state() private slow = false;
  @state() private reading = true;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private refresh: ReturnType<typeof setInterval> | undefined;
  private manager: Manager | undefined;
  private readonly watched = new WeakSet<object>();
  private readonly misses = new NewsMisses();

  override connectedCallback(): void {
    super.connectedCallback();
    this.manager = sharedManager(this.server);
    this.manager.on('open', this.watchEngine);
    this.watchEngine();
    this.refresh = setInterval(() => this.requestUpdate(), 500);
    document.addEventListener('news-ticker-item', this.handleNewsItem);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.manager?.off('open', this.watchEngine);
    clearInterval(this.refresh);
    clearTimeout(this.slowTimer);
    if (this.manager) setReading(this.manager, true);
    document.removeEventListener('news-ticker-item', this.handleNewsItem);
  }

  private watchEngine = () => {
    const engine: Socket | undefined = this.manager?.engine;
    if (!engine || this.watched.has(engine)) return;
    this.watched.add(engine);
    this.connections++;
    this.misses.reset();
    this.transport = engine.transport?.name ?? '—';
    if (this.slow) this.slowTimer = setTimeout(this.pauseReading, this.readMs); // let the namespaces connect first
    engine.on('upgrade', () => (this.transport = engine.transport.name));
    engine.on('packet', (packet) => this.count(packet.data, 'in'));
    engine.on('packetCreate', (packet) => this.count(packet.data, 'out'));
  };

  /** A Socket.IO packet starts with its type digit, then `/namespace,` unless it is the main namespace. */
  private count(data: unknown, way: 'in' | 'out'): void {
    if (typeof data !== 'string') return;
    const match = /^\d+(?:\d+-)?(\/[^,]*),/.exec(data);
    const nsp = match?.[1] ?? '/';
    const counts = this.counts.get(nsp) ?? { in: 0, out: 0 };
    counts[way]++;
    this.counts.set(nsp, counts);
    this.trackAck(data, way);
  }

  /** An event sent with an ack id starts a round trip; the ack packet (type 3) with that id ends it. */
  private trackAck(data: string, way: 'in' | 'out'): void {
    const [, type, nsp = '/', id, json = ''] = PACKET.exec(data) ?? [];
    if (!id) return;
    const key = `${nsp}#${id}`;
    if (way === 'out' && type === '2') {
      this.awaiting.set(key, performance.now());
      const [event, payload] = (parseJson(json) as [string, { text?: unknown }] | undefined) ?? [];
      if (nsp === '/chat' && event === 'message:send' && typeof payload?.text === 'string')
        this.sent = [...this.sent, { key, text: payload.text, state: 'sending' as const }].slice(-5);
      return;
    }
    const started = this.awaiting.get(key);
    if (way !== 'in' || type !== '3' || started === undefined) return;
    this.awaiting.delete(key);
    const ms = Math.round(performance.now() - started);
    const times = this.acks.get(nsp) ?? { count: 0, totalMs: 0, lastMs: 0 };
    this.acks.set(nsp, { count: times.count + 1, totalMs: times.totalMs + ms, lastMs: ms });
    const [reply] = (parseJson(json) as [{ ok?: unknown }] | undefined) ?? [];
    const state = reply?.ok === true ? ('stored' as const) : ('refused' as const);
    this.sent = this.sent.map((m) => (m.key === key && m.state === 'sending' ? { ...m, state, ms } : m));
  }

  /** Counted against what was published: also the topics that stopped arriving (see `NewsMisses`). */
  private handleNewsItem = (e: Event) => {
    const { item } = (e as HTMLElementEventMap['news-ticker-item']).detail;
    const subscribed = [...(document.querySelector('news-ticker')?.connection.subscribed ?? [item.topic])];
    const delta = this.misses.receive(item, subscribed);
    const bucket = `${this.delivery} ${this.slow ? 'slow' : 'healthy'}`;
    const counts = this.deliveries.get(bucket) ?? { received: 0, missed: 0 };
    this.deliveries.set(bucket, { received: counts.received + 1, missed: Math.max(0, counts.missed + delta) });
  };

  /** The page's ticker gets its news with the other delivery (it subscribes its topics again). */
  private async setDelivery(volatile: boolean): Promise<void> {
    this.delivery = volatile ? 'volatile' : 'flow-controlled';
    await document.querySelector('news-ticker')?.connection.setDelivery(this.delivery);
  }

  /**
   * The server drops news for a client whose backlog of unsent packets is long (server/news/feed.ts). A
   * WebSocket page cannot stop reading (the browser reads for it), so the switch reconnects this page's one
   * connection over HTTP long-polling (connection state recovery keeps the chat's rooms) and then stops
   * polling for `pauseMs` at a time: meanwhile the server buffers chat and, past the backlog limit, skips news.
   */
  private setSlow(on: boolean): void {
    if (this.slow === on || !this.manager) return;
    this.slow = on;
    clearTimeout(this.slowTimer);
    if (on) {
      this.reconnectWith(['polling']);
      return;
    }
    this.resumeReading();
    this.slowTimer = setTimeout(() => this.reconnectWith(['polling', 'websocket']), this.readMs); // backlog first
  }

  private reconnectWith(transports: ('polling' | 'websocket')[]): void {
    this.manager!.opts.transports = transports;
    // engine.io's close() ignores a transport that is paused or still pausing (waiting for its long poll to
    // come back), which a slowed page's is most of the time: the page would stay on long-polling.
    const polling = this.polling;
    if (polling) polling.readyState = 'open';
    // Closing the transport (not the engine, which would first wait to flush its buffer) drops the connection
    // the way a network does; the Manager reconnects with these transports and the server recovers the session.
    this.manager!.engine?.transport?.close();
  }

  private get polling(): PollingTransport | undefined {
    const transport = this.manager?.engine?.transport as unknown as PollingTransport | undefined;
    return transport?.name === 'polling' ? transport : undefined;
  }

  private pauseReading = () => {
    if (!this.slow) return;
    this.polling?.pause(() => {
      if (!this.slow) this.resumeReading();
    });
    this.reading = false;
    setReading(this.manager!, false); // so the chat's status does not claim a healthy connection meanwhile
    this.slowTimer = setTimeout(this.readAWhile, this.pauseMs);
  };

  private readAWhile = () => {
    this.resumeReading();
    this.slowTimer = setTimeout(this.pauseReading, this.readMs); // long enough to answer the server's pings
  };

  private resumeReading(): void {
    this.reading = true;
    if (this.manager) setReading(this.manager, true);
    const transport = this.polling;
    if (transport?.readyState !== 'paused') return;
    transport.readyState = 'open';
    transport._poll?.();
  }

  override render() {
    const rows = [...this.counts].filter(([nsp]) => nsp !== '/').sort(([a], [b]) => a.localeCompare(b));
    const open = this.manager?.engine?.readyState === 'open' ? 1 : 0;
    const reconnects = Math.max(0, this.connections - 1);
    return html`<section part="base" aria-label="Connection and namespaces">
      <div class="top">
        <div class="conn">
          <span class="big" data-testid="connections">${open}</span>
          <span
            >connection open now, over <code data-testid="transport">${this.transport}</code>${
              reconnects > 0
                ? html` · <span data-testid="reconnects">reopened ${reconnects}×</span> (same session, recovered)`
                : ''
            }</span
          >
        </div>
        <table part="counters">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Packets in</th>
              <th scope="col">Packets out</th>
              <th scope="col">Acked</th>
              <th scope="col">Round trip (avg · last)</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(([nsp, c]) => {
              const a = this.acks.get(nsp);
              return html`<tr data-nsp=${nsp}>
                <th scope="row"><code>${nsp}</code></th>
                <td class="in">${c.in}</td>
                <td>${c.out}</td>
                <td class="acked">${a?.count ?? 0}</td>
                <td class="rtt">${a ? `${Math.round(a.totalMs / a.count)} ms · ${a.lastMs} ms` : '—'}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <div class="top controls">
        <div class="group">
          <label>
            <button
              part="slow-toggle"
              role="switch"
              aria-checked=${this.slow ? 'true' : 'false'}
              aria-label="Slow this page down"
              @click=${() => this.setSlow(!this.slow)}
            ></button>
            Slow this page down
          </label>
          <span class="reading" data-testid="reading" role="status"
            >${this.slow ? (this.reading ? 'Reading…' : 'Not reading') : ''}</span
          >
        </div>
        <div class="group">
          <label>
            <button
              part="delivery-toggle"
              role="switch"
              aria-checked=${this.delivery === 'volatile' ? 'true' : 'false'}
              aria-label="News with Socket.IO volatile"
              @click=${() => void this.setDelivery(this.delivery !== 'volatile')}
            ></button>
            News with Socket.IO <code>volatile</code>
          </label>
          <table part="deliveries">
            <thead>
              <tr>
                <th scope="col">News delivery</th>
                ${READERS.map((r) => html`<th scope="col">${r} reader: got · missed</th>`)}
              </tr>
            </thead>
            <tbody>
              ${DELIVERIES.map(
                (d) =>
                  html`<tr data-delivery=${d} class=${d === this.delivery ? 'current' : ''}>
                    <th scope="row">${d === 'volatile' ? 'Socket.IO volatile' : 'flow-controlled (ours)'}</th>
                    ${READERS.map((r) => {
                      const c = this.deliveries.get(`${d} ${r}`);
                      return html`<td data-reader=${r}>
                        <span class="got">${c?.received ?? 0}</span> ·
                        <span class="missed">${c?.missed ?? 0}</span>
                      </td>`;
                    })}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div part="sent" aria-label="Your messages and their acks">
        <strong>Your messages:</strong>
        ${this.sent.length === 0 ? html`<span class="muted">send one in the chat below</span>` : ''}
        <ul>
          ${this.sent.map(
            (m) =>
              html`<li data-state=${m.state}>
                <span class="tick" aria-hidden="true"
                  >${m.state === 'stored' ? '✓' : m.state === 'refused' ? '✗' : '…'}</span
                >
                <span class="text">${m.text}</span>
                <span class="muted"
                  >${m.state === 'sending' ? 'waiting for the ack' : `${m.state} · ack after ${m.ms} ms`}</span
                >
              </li>`,
          )}
        </ul>
      </div>
      <p class="note">
        Chat and news share one connection: each packet names its namespace. Requests that take an acknowledgement
        (join, send, subscribe) are counted with their round trip; your chat message gets its ✓ when the server's ack
        says it is stored. Chat messages are sent reliably, so they wait on the server while this page is slow and all
        arrive. News items are sent at most once: when the connection cannot take them, the server skips them for this
        page. The table counts as “missed” what was published and did not arrive: gaps in each topic's
        <code>seq</code>, and, as the demo feed publishes every topic each round, a topic's items that stopped arriving
        while other topics still come. Slowing down moves this page to HTTP long-polling (the same session, recovered,
        so still one connection open) and stops reading for ${Math.round(this.pauseMs / 1000)} s at a time, like a phone
        in a tunnel. With Socket.IO's own <code>volatile</code> flag, an item is dropped whenever the connection is busy
        writing, so even a healthy reader misses most of each burst; the flow-controlled delivery skips only a reader
        that cannot keep up.
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-namespace-demo': ChatNamespaceDemo;
  }
}
