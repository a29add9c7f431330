import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuditActor, AuditEntry, AuditPage } from '../../server/protocol/admin.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError } from './admin-api.js';
import { formatTime, viewStyles } from './admin-styles.js';

/** Entries per page: the server's default page. */
export const AUDIT_PAGE_SIZE = 50;

const actorName = (actor: AuditActor): string => (actor === 'admin-api' ? 'admin API' : `${actor.nick} (${actor.sub})`);

/**
 * The audit log, newest first, a page at a time (`GET /api/admin/audit?limit=&before=`): Older pages on with the
 * last id shown as `before`; Newer goes back through the pages seen. Admin only.
 * @csspart list - the table of entries
 */
export class AdminAudit extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  @state() private entries?: AuditEntry[];
  @state() private error = '';
  /** The `before` of each page shown so far; the last is the current page's (undefined: the newest). */
  @state() private cursors: (number | undefined)[] = [undefined];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get page(): number {
    return this.cursors.length;
  }

  async load(): Promise<void> {
    if (!this.api) return;
    const before = this.cursors.at(-1);
    const query = `limit=${AUDIT_PAGE_SIZE}${before === undefined ? '' : `&before=${before}`}`;
    try {
      this.entries = (await this.api.get<AuditPage>(`/audit?${query}`)).entries;
      this.error = '';
    } catch (err) {
      this.error = describeError(err);
    }
  }

  override render() {
    const entries = this.entries;
    const hasOlder = entries !== undefined && entries.length === AUDIT_PAGE_SIZE;
    return html`<h2>Audit log</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <nav class="row" aria-label="Audit log pages">
        <button @click=${this.handleNewest} ?disabled=${this.page === 1}>Newest</button>
        <button @click=${this.handleNewer} ?disabled=${this.page === 1}>Newer</button>
        <button @click=${this.handleOlder} ?disabled=${!hasOlder}>Older</button>
        <span class="muted" role="status">Page ${this.page}</span>
      </nav>
      ${entries === undefined ? html`<p class="muted">Loading…</p>` : this.renderEntries(entries)}`;
  }

  private renderEntries(entries: AuditEntry[]) {
    if (entries.length === 0) return html`<p class="empty">No entries.</p>`;
    return html`<div class="table-wrap" part="list">
      <table>
        <caption class="visually-hidden">
          Audit log, page ${this.page}
        </caption>
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Room</th>
            <th>Target</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          ${entries.map(
            (e) =>
              html`<tr>
                <td>${e.id}</td>
                <td>${formatTime(e.at)}</td>
                <td>${actorName(e.actor)}</td>
                <td>${e.action}</td>
                <td>${e.room ?? html`<span class="muted">—</span>`}</td>
                <td>${e.target}</td>
                <td>${e.reason ?? html`<span class="muted">—</span>`}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private handleOlder = () => {
    const last = this.entries?.at(-1);
    if (last === undefined) return;
    void this.turnTo([...this.cursors, last.id]);
  };

  private handleNewer = () => void this.turnTo(this.cursors.slice(0, -1));

  private handleNewest = () => void this.turnTo([undefined]);

  /**
   * Shows the page of these cursors. A button that gets disabled by it (Newer on the first page, Older on the
   * last) would drop the keyboard's focus to the page: it moves to the button that still leads somewhere.
   */
  private async turnTo(cursors: (number | undefined)[]): Promise<void> {
    const pressed = this.shadowRoot?.activeElement;
    this.cursors = cursors;
    await this.load();
    await this.updateComplete;
    if (!(pressed instanceof HTMLButtonElement) || !pressed.disabled) return;
    const enabled = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => !b.disabled);
    enabled?.focus();
  }
}
