import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError } from './admin-api.js';
import { formatTime, viewStyles } from './admin-styles.js';
import type { Report, ReportList, ResolveReport } from '../../server/protocol/reports.js';

/**
 * The open reports (`GET /api/admin/reports?state=open`), each resolved by dismissing it, deleting the message,
 * or banning its author from the room for the minutes given (none: no end) (`POST /api/admin/reports/:id/resolve`).
 * @csspart list - the table of reports
 */
export class AdminReports extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  @state() private reports?: Report[];
  @state() private error = '';
  @state() private status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private handleRefresh = () => void this.load();

  async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.reports = (await this.api.get<ReportList>('/reports?state=open')).reports;
      this.error = '';
    } catch (err) {
      this.error = describeError(err);
    }
  }

  override render() {
    return html`<h2>Reports</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="row"><button @click=${this.handleRefresh}>Refresh</button></div>
      <p class="ok" role="status">${this.status}</p>
      ${this.reports === undefined ? html`<p class="muted">Loading…</p>` : this.renderReports(this.reports)}`;
  }

  private renderReports(reports: Report[]) {
    if (reports.length === 0) return html`<p class="empty">No open reports.</p>`;
    return html`<div class="table-wrap" part="list">
      <table>
        <caption class="visually-hidden">
          Open reports
        </caption>
        <thead>
          <tr>
            <th>When</th>
            <th>Room</th>
            <th>Message</th>
            <th>Author</th>
            <th>Reporter</th>
            <th>Reason</th>
            <th>Resolve</th>
          </tr>
        </thead>
        <tbody>
          ${reports.map((r) => this.renderReport(r))}
        </tbody>
      </table>
    </div>`;
  }

  private renderReport(r: Report) {
    const minutesId = `minutes-${r.id}`;
    return html`<tr>
      <td>${formatTime(r.at)}</td>
      <td>${r.room}</td>
      <td>#${r.messageId}</td>
      <td>${r.author}</td>
      <td>${r.reporter}</td>
      <td>${r.reason}</td>
      <td>
        <div class="row" style="margin:0">
          <button @click=${() => this.resolve(r, { action: 'dismiss' })} aria-label=${`Dismiss report ${r.id}`}>
            Dismiss
          </button>
          <button
            class="danger"
            @click=${() => this.resolve(r, { action: 'delete' })}
            aria-label=${`Delete message ${r.messageId}`}
          >
            Delete message
          </button>
          <label for=${minutesId} class="visually-hidden">Ban minutes for ${r.author} (empty: no end)</label>
          <input id=${minutesId} type="number" min="1" step="1" placeholder="min" style="inline-size:5rem" />
          <button class="danger" @click=${() => this.ban(r, minutesId)} aria-label=${`Ban ${r.author} from ${r.room}`}>
            Ban author
          </button>
        </div>
      </td>
    </tr>`;
  }

  private ban(report: Report, minutesId: string) {
    const raw = this.renderRoot.querySelector<HTMLInputElement>(`#${minutesId}`)?.value ?? '';
    void this.resolve(report, raw === '' ? { action: 'ban' } : { action: 'ban', minutes: Number(raw) });
  }

  private async resolve(report: Report, resolution: ResolveReport): Promise<void> {
    if (!this.api) return;
    try {
      await this.api.call('POST', `/reports/${report.id}/resolve`, resolution);
      this.status = `Report ${report.id} resolved (${resolution.action}).`;
      await this.load();
      const next = this.renderRoot.querySelector<HTMLButtonElement>('tbody button'); // its own row is gone
      (next ?? this.renderRoot.querySelector<HTMLButtonElement>('button'))?.focus();
    } catch (err) {
      this.error = describeError(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-reports': AdminReports;
  }
}
