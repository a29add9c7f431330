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

/** While slowed down, the page's main thread is busy this long out of every period. */
export const BUSY_MS = 450;
export const PERIOD_MS = 500;

/**
 * The namespaces demo: counts Socket.IO packets per namespace on the page's one engine.io connection, and
 * can slow this page down (busy main thread in bursts) to show volatile news being dropped while chat is not.
 * @csspart base - the panel
 * @csspart counters - the table of packets per namespace
 * @csspart slow-toggle - the switch that slows this page
 */
export class ChatNamespaceDemo extends LitElement {
  static override styles = [
    theme,
    css`
      :host { display: block; }
      [part='base'] { display: grid; gap: 0.8rem; padding: 1rem 1.2rem; background: var(--_surface); border: 1px solid var(--_border);
        border-radius: var(--_radius); }
      .top { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; justify-content: space-between; }
      .conn { display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
      .big { font-size: 1.6em; font-weight: 800; font-variant-numeric: tabular-nums; }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; min-inline-size: 18rem; }
      th, td { padding: 0.3rem 0.8rem; text-align: end; border-block-end: 1px solid var(--_border); }
      th:first-child, td:first-child { text-align: start; }
      code { font-size: 0.95em; }
      label { display: flex; align-items: center; gap: 0.6rem; font-weight: 600; cursor: pointer; }
      [part='slow-toggle'] { inline-size: 2.8rem; block-size: 1.5rem; border-radius: 999px; border: 0; background: var(--_border);
        position: relative; }
      [part='slow-toggle']::after { content: ''; position: absolute; inset-block-start: 0.2rem; inset-inline-start: 0.2rem; inline-size: 1.1rem;
        block-size: 1.1rem; border-radius: 50%; background: #fff; transition: inset-inline-start 0.15s; }
      [part='slow-toggle'][aria-checked='true'] { background: var(--_danger); }
      [part='slow-toggle'][aria-checked='true']::after { inset-inline-start: 1.5rem; }
      .note { margin: 0; color: var(--_muted); font-size: 0.9em; max-inline-size: 60rem; }
    `,
  ];

  @property() server = '';
  @state() private counts = new Map<string, Counts>();
  @state() private transport = '—';
  @state() private connections = 0;
  @state() private slow = false;
  private slowTimer: ReturnType<typeof setInterval> | undefined;
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
    this.setSlow(false);
  }

  private watchEngine = () => {
    const engine: Socket | undefined = this.manager?.engine;
    if (!engine || this.watched.has(engine)) return;
    this.watched.add(engine);
    this.connections++;
    this.transport = engine.transport?.name ?? '—';
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
   * A WebSocket on a fast link is always writable, so the server never has a reason to drop anything. A slow
   * client is one the server must wait for: over HTTP long-polling it can only write while the page has a
   * request open, and a busy page opens the next one late. So the switch reconnects this page's one
   * connection over long-polling (connection state recovery keeps the chat's rooms) and keeps it busy.
   */
  private setSlow(on: boolean): void {
    const changed = this.slow !== on;
    this.slow = on;
    clearInterval(this.slowTimer);
    if (changed && this.manager) {
      this.manager.opts.transports = on ? ['polling'] : ['polling', 'websocket'];
      this.manager.engine?.close(); // the Manager reconnects at once with the new transports
    }
    if (!on) return;
    this.slowTimer = setInterval(() => {
      const until = performance.now() + BUSY_MS;
      while (performance.now() < until) {
        // Busy on purpose: the page stops reading its connection, like a slow phone would.
      }
    }, PERIOD_MS);
  }

  override render() {
    const rows = [...this.counts].filter(([nsp]) => nsp !== '/').sort(([a], [b]) => a.localeCompare(b));
    return html`<section part="base" aria-label="Connection and namespaces">
      <div class="top">
        <div class="conn">
          <span class="big" data-testid="connections">${this.connections}</span>
          <span>connection${this.connections === 1 ? '' : 's'} opened so far · now over <code data-testid="transport">${this.transport}</code></span>
        </div>
        <table part="counters">
          <thead><tr><th scope="col">Namespace</th><th scope="col">Packets in</th><th scope="col">Packets out</th></tr></thead>
          <tbody>
            ${rows.map(([nsp, c]) => html`<tr data-nsp=${nsp}><th scope="row"><code>${nsp}</code></th><td class="in">${c.in}</td><td>${c.out}</td></tr>`)}
          </tbody>
        </table>
        <label>
          <button part="slow-toggle" role="switch" aria-checked=${this.slow ? 'true' : 'false'} aria-label="Slow this page down"
            @click=${() => this.setSlow(!this.slow)}></button>
          Slow this page down
        </label>
      </div>
      <p class="note">
        Chat and news share one connection: each packet names its namespace. Chat messages are sent reliably, so they
        wait on the server while this page is slow and all arrive. News items are <em>volatile</em>: when the connection
        cannot take them right away, the server drops them, and the ticker counts the gaps in each topic's
        <code>seq</code> as “missed”. Slowing down switches this page to HTTP long-polling (still one connection) and
        keeps it busy ${BUSY_MS} ms out of every ${PERIOD_MS} ms, so the server often has nowhere to write.
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-namespace-demo': ChatNamespaceDemo;
  }
}
