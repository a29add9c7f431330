import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Manager } from 'socket.io-client';
import { sharedManager } from '../connection/manager.js';
import { theme } from './theme.js';

type Socket = NonNullable<Manager['engine']>;
interface Counts {
  in: number;
  out: number;
}

/** engine.io-client's long-polling transport, reached into for the demo: `pause` is what its upgrade uses. */
interface PollingTransport {
  name: string;
  readyState: string;
  pause(onPause: () => void): void;
  _poll?: () => void;
}

/**
 * The namespaces demo: counts Socket.IO packets per namespace on the page's one engine.io connection, and
 * can make this page a slow reader to show news being dropped for it while chat is not.
 * @csspart base - the panel
 * @csspart counters - the table of packets per namespace
 * @csspart slow-toggle - the switch that slows this page
 */
export class ChatNamespaceDemo extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      [part='base'] {
        display: grid;
        gap: 0.8rem;
        padding: 1rem 1.2rem;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem 2rem;
        align-items: center;
        justify-content: space-between;
      }
      .conn {
        display: flex;
        gap: 0.6rem;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .big {
        font-size: 1.6em;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        min-inline-size: 18rem;
      }
      th,
      td {
        padding: 0.3rem 0.8rem;
        text-align: end;
        border-block-end: 1px solid var(--_border);
      }
      th:first-child,
      td:first-child {
        text-align: start;
      }
      code {
        font-size: 0.95em;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        font-weight: 600;
        cursor: pointer;
      }
      [part='slow-toggle'] {
        inline-size: 2.8rem;
        block-size: 1.5rem;
        border-radius: 999px;
        border: 0;
        background: var(--_border);
        position: relative;
      }
      [part='slow-toggle']::after {
        content: '';
        position: absolute;
        inset-block-start: 0.2rem;
        inset-inline-start: 0.2rem;
        inline-size: 1.1rem;
        block-size: 1.1rem;
        border-radius: 50%;
        background: #fff;
        transition: inset-inline-start 0.15s;
      }
      [part='slow-toggle'][aria-checked='true'] {
        background: var(--_danger);
      }
      [part='slow-toggle'][aria-checked='true']::after {
        inset-inline-start: 1.5rem;
      }
      .reading {
        min-inline-size: 7em;
        color: var(--_muted);
        font-weight: 600;
      }
      .note {
        margin: 0;
        color: var(--_muted);
        font-size: 0.9em;
        max-inline-size: 60rem;
      }
    `,
  ];

  @property() server = '';
  /** While slowed down, the page stops reading for this long, then reads for `read-ms`, and again. */
  @property({ type: Number, attribute: 'pause-ms' }) pauseMs = 15_000;
  @property({ type: Number, attribute: 'read-ms' }) readMs = 1_000;
  @state() private counts = new Map<string, Counts>();
  @state() private transport = '—';
  @state() private connections = 0;
  @state() private slow = false;
  @state() private reading = true;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private refresh: ReturnType<typeof setInterval> | undefined;
  private manager: Manager | undefined;
  private readonly watched = new WeakSet<object>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.manager = sharedManager(this.server);
    this.manager.on('open', this.watchEngine);
    this.watchEngine();
    this.refresh = setInterval(() => this.requestUpdate(), 500);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.manager?.off('open', this.watchEngine);
    clearInterval(this.refresh);
    clearTimeout(this.slowTimer);
  }

  private watchEngine = () => {
    const engine: Socket | undefined = this.manager?.engine;
    if (!engine || this.watched.has(engine)) return;
    this.watched.add(engine);
    this.connections++;
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
    this.slowTimer = setTimeout(this.readAWhile, this.pauseMs);
  };

  private readAWhile = () => {
    this.resumeReading();
    this.slowTimer = setTimeout(this.pauseReading, this.readMs); // long enough to answer the server's pings
  };

  private resumeReading(): void {
    this.reading = true;
    const transport = this.polling;
    if (transport?.readyState !== 'paused') return;
    transport.readyState = 'open';
    transport._poll?.();
  }

  override render() {
    const rows = [...this.counts].filter(([nsp]) => nsp !== '/').sort(([a], [b]) => a.localeCompare(b));
    return html`<section part="base" aria-label="Connection and namespaces">
      <div class="top">
        <div class="conn">
          <span class="big" data-testid="connections">${this.connections}</span>
          <span
            >connection${this.connections === 1 ? '' : 's'} opened so far · now over
            <code data-testid="transport">${this.transport}</code></span
          >
        </div>
        <table part="counters">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Packets in</th>
              <th scope="col">Packets out</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              ([nsp, c]) =>
                html`<tr data-nsp=${nsp}>
                  <th scope="row"><code>${nsp}</code></th>
                  <td class="in">${c.in}</td>
                  <td>${c.out}</td>
                </tr>`,
            )}
          </tbody>
        </table>
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
      <p class="note">
        Chat and news share one connection: each packet names its namespace. Chat messages are sent reliably, so they
        wait on the server while this page is slow and all arrive. News items are sent at most once: when the connection
        cannot take them, the server skips them for this page, and the ticker counts the gaps in each topic's
        <code>seq</code> as “missed”. Slowing down moves this page to HTTP long-polling (still one connection) and stops
        reading for ${Math.round(this.pauseMs / 1000)} s at a time, like a phone in a tunnel. After a second without
        reading, the server skips news for this page (or as soon as 64 KiB wait for it, at high rates).
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-namespace-demo': ChatNamespaceDemo;
  }
}
