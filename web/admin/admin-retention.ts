import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError, segment } from './admin-api.js';
import { viewStyles } from './admin-styles.js';
import type { RetentionState } from '../../server/protocol/admin.js';

/**
 * How long one room keeps its messages (`GET /api/admin/rooms/:room/retention`), and a form to set it for the
 * room (0: for ever) or put it back to the default (`PUT` with `{ days }`, null for the default). Admin only.
 * @csspart base - the section
 */
export class AdminRetention extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  @property() room = '';
  @state() private retention?: RetentionState;
  @state() private error = '';
  @state() private status = '';

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('room') || changed.has('api')) void this.load();
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('section')?.focus();
  }

  private get path(): string {
    return `/rooms/${segment(this.room)}/retention`;
  }

  async load(): Promise<void> {
    if (!this.api || this.room === '') return;
    this.status = '';
    try {
      this.retention = await this.api.get<RetentionState>(this.path);
      this.error = '';
    } catch (err) {
      this.retention = undefined;
      this.error = describeError(err);
    }
  }

  override render() {
    const r = this.retention;
    return html`<section part="base" tabindex="-1" aria-labelledby="title">
      <h3 id="title">Retention of ${this.room}</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${
        r === undefined
          ? nothing
          : html`<p data-retention>
                ${r.days === 0 ? 'Kept for ever' : `${r.days} days`}
                <span class="muted">${r.override ? '(set for this room)' : '(the default)'}</span>
              </p>
              <form @submit=${this.handleSave}>
                <label
                  >Days to keep (0: for ever)
                  <input name="days" type="number" min="0" step="1" required .value=${String(r.days)}
                /></label>
                <button class="primary">Save</button>
                <button type="button" @click=${this.handleDefault} ?disabled=${!r.override}>Use the default</button>
              </form>`
      }
      <p class="ok" role="status">${this.status}</p>
    </section>`;
  }

  private handleSave = (e: SubmitEvent) => {
    e.preventDefault();
    const days = Number(new FormData(e.target as HTMLFormElement).get('days'));
    void this.save(days);
  };

  private handleDefault = () => {
    void this.save(null);
  };

  private async save(days: number | null): Promise<void> {
    if (!this.api) return;
    try {
      await this.api.call('PUT', this.path, { days });
      await this.load();
      this.status =
        days === null ? 'Back to the default.' : days === 0 ? 'Saved: kept for ever.' : `Saved: ${days} days.`;
    } catch (err) {
      this.error = describeError(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-retention': AdminRetention;
  }
}
