import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AdminOverview, NodeOverview } from '../../server/protocol/admin-console.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError } from './admin-api.js';
import { formatTime, viewStyles } from './admin-styles.js';

/** How often the overview reads the counts again while it is shown (the nodes report every 5 s). */
const REFRESH_MS = 5000;

/** The details of a node's health beside its counts: storage, and in a cluster Redis, PostgreSQL, fencing. */
function healthDetails(node: NodeOverview): string {
  const skip = new Set(['node', 'ok', 'at', 'sockets', 'messagesPerMinute']);
  return Object.entries(node)
    .filter(([key]) => !skip.has(key))
    .map(([key, value]) => {
      if (value !== null && typeof value === 'object') {
        const { store, problem } = value as { store?: unknown; problem?: unknown };
        return `${key}: ${[store, problem].filter((part) => typeof part === 'string').join(', ')}`;
      }
      return `${key}: ${String(value)}`;
    })
    .join(' · ');
}

/**
 * Sockets per namespace and messages stored per minute over the deployment, and every live node with its
 * health (`GET /api/admin/overview`), read again every few seconds.
 * @csspart totals - the three counts
 * @csspart nodes - the table of nodes
 */
export class AdminOverviewView extends LitElement {
  static override styles = [
    theme,
    viewStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: 0.75rem;
        margin: 0 0 1rem;
      }
      dl div {
        padding: 0.75rem 1rem;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      dt {
        color: var(--_muted);
        font-size: 0.85em;
      }
      dd {
        margin: 0.2rem 0 0;
        font-size: 1.6em;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .down {
        color: var(--_danger);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) api?: AdminApi;
  @state() private overview?: AdminOverview;
  @state() private error = '';
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private handleRefresh = () => void this.load();

  async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.overview = await this.api.get<AdminOverview>('/overview');
      this.error = '';
    } catch (err) {
      this.error = describeError(err);
    }
  }

  override render() {
    const o = this.overview;
    return html`<h2>Overview</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="row"><button @click=${this.handleRefresh}>Refresh</button></div>
      ${
        o === undefined
          ? html`<p class="muted">Loading…</p>`
          : html`<dl part="totals">
                <div>
                  <dt>Chat sockets</dt>
                  <dd data-count="chat">${o.sockets.chat}</dd>
                </div>
                <div>
                  <dt>News sockets</dt>
                  <dd data-count="news">${o.sockets.news}</dd>
                </div>
                <div>
                  <dt>Messages per minute</dt>
                  <dd data-count="messages">${o.messagesPerMinute}</dd>
                </div>
              </dl>
              ${this.renderNodes(o.nodes)}`
      }`;
  }

  private renderNodes(nodes: NodeOverview[]) {
    return html`<div class="table-wrap" part="nodes">
      <table>
        <caption class="visually-hidden">
          Nodes
        </caption>
        <thead>
          <tr>
            <th>Node</th>
            <th>Status</th>
            <th>Chat</th>
            <th>News</th>
            <th>Msgs/min</th>
            <th>Reported</th>
            <th>Health</th>
          </tr>
        </thead>
        <tbody>
          ${nodes.map(
            (n) =>
              html`<tr>
                <td>${n.node}</td>
                <td class=${n.ok ? 'ok' : 'down'}>${n.ok ? 'OK' : 'Unavailable'}</td>
                <td>${n.sockets.chat}</td>
                <td>${n.sockets.news}</td>
                <td>${n.messagesPerMinute}</td>
                <td>${formatTime(n.at)}</td>
                <td class="muted">${healthDetails(n)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-overview': AdminOverviewView;
  }
}
