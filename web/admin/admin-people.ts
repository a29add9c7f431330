import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError, segment } from './admin-api.js';
import { viewStyles } from './admin-styles.js';
import type { ErasureResult, ExportHeader } from '../../server/protocol/admin.js';

/**
 * A signed user's data, by `sub`: Export downloads it as NDJSON (`GET /api/admin/users/:sub/export`, kept as a
 * Blob link so the token never goes in a URL); Erase (`DELETE /api/admin/users/:sub`) needs the sub typed again.
 * Admin only.
 * @csspart export-link - the download link of the last export
 */
export class AdminPeople extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  @state() private sub = '';
  @state() private confirmation = '';
  @state() private exported?: { header: ExportHeader; url: string; file: string };
  @state() private error = '';
  @state() private status = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.exported) URL.revokeObjectURL(this.exported.url);
  }

  override render() {
    const armed = this.sub !== '' && this.confirmation === this.sub;
    return html`<h2>People</h2>
      <p class="muted">A signed user is named by the <code>sub</code> of the host site's tokens.</p>
      <form @submit=${this.handleExport}>
        <label
          >Subject (sub) <input name="sub" .value=${this.sub} @input=${this.handleSub} required autocomplete="off"
        /></label>
        <button class="primary">Export</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="ok" role="status">${this.status}</p>
      ${this.exported ? this.renderExport(this.exported) : nothing}
      <h3>Erase</h3>
      <p>Erasing deletes the person's messages and data for good. Type the sub again to confirm.</p>
      <form @submit=${this.handleErase}>
        <label
          ><span>Type ${this.sub === '' ? 'the sub' : html`<code>${this.sub}</code>`} to confirm</span>
          <input name="confirm" .value=${this.confirmation} @input=${this.handleConfirm} autocomplete="off" />
        </label>
        <button class="danger" ?disabled=${!armed}>Erase ${this.sub}</button>
      </form>`;
  }

  private renderExport({ header, url, file }: { header: ExportHeader; url: string; file: string }) {
    const { messages, bans, memberships, readState, reports } = header.counts;
    return html`<p>
      Export of <code>${header.sub}</code>: ${messages} messages, ${bans} bans, ${memberships} memberships, ${readState}
      read markers, ${reports} reports. <a part="export-link" href=${url} download=${file}>Download ${file}</a>
    </p>`;
  }

  private handleSub = (e: InputEvent) => {
    this.sub = (e.target as HTMLInputElement).value.trim();
  };

  private handleConfirm = (e: InputEvent) => {
    this.confirmation = (e.target as HTMLInputElement).value.trim();
  };

  private handleExport = (e: SubmitEvent) => {
    e.preventDefault();
    void this.export(this.sub);
  };

  private handleErase = (e: SubmitEvent) => {
    e.preventDefault();
    if (this.sub !== '' && this.confirmation === this.sub) void this.erase(this.sub);
  };

  private async export(sub: string): Promise<void> {
    if (!this.api || sub === '') return;
    try {
      const ndjson = await this.api.text(`/users/${segment(sub)}/export`);
      const header = JSON.parse(ndjson.split('\n', 1)[0] ?? '') as ExportHeader;
      if (this.exported) URL.revokeObjectURL(this.exported.url);
      const url = URL.createObjectURL(new Blob([ndjson], { type: 'application/x-ndjson' }));
      this.exported = { header, url, file: `export-${sub.replace(/[^\w.-]/g, '_')}.ndjson` };
      this.error = '';
      this.status = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLAnchorElement>('[part="export-link"]')?.focus();
    } catch (err) {
      this.error = describeError(err);
    }
  }

  private async erase(sub: string): Promise<void> {
    if (!this.api) return;
    try {
      const erased = await this.api.call<ErasureResult>('DELETE', `/users/${segment(sub)}`);
      this.status = `Erased ${sub}: ${erased.messages} messages deleted.`;
      this.confirmation = '';
      this.error = '';
    } catch (err) {
      this.error = describeError(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-people': AdminPeople;
  }
}
