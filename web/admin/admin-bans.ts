import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ListedBan, BanList } from '../../server/protocol/admin.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError, segment } from './admin-api.js';
import { formatTime, viewStyles } from './admin-styles.js';

/**
 * The bans in force in one room (`GET /api/admin/rooms/:room/bans`), each with an Unban button
 * (`DELETE …/bans/:nick`). The room comes from the field or from the rooms view (`room`).
 * @csspart list - the table of bans
 */
export class AdminBans extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  /** The room whose bans are shown. */
  @property() room = 'lobby';
  @state() private bans?: ListedBan[];
  @state() private error = '';
  @state() private status = '';

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('room') || changed.has('api')) void this.load();
  }

  async load(): Promise<void> {
    if (!this.api || this.room === '') return;
    try {
      this.bans = (await this.api.get<BanList>(`/rooms/${segment(this.room)}/bans`)).bans;
      this.error = '';
    } catch (err) {
      this.bans = undefined;
      this.error = describeError(err);
    }
  }

  override render() {
    return html`<h2>Bans</h2>
      <form @submit=${this.handleRoom}>
        <label>Room <input name="room" .value=${this.room} required autocomplete="off" /></label>
        <button>Show bans</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="ok" role="status">${this.status}</p>
      ${this.bans === undefined ? nothing : this.renderBans(this.bans)}`;
  }

  private renderBans(bans: ListedBan[]) {
    if (bans.length === 0) return html`<p class="empty">No bans in ${this.room}.</p>`;
    return html`<div class="table-wrap" part="list">
      <table>
        <caption class="visually-hidden">
          Bans in ${this.room}
        </caption>
        <thead>
          <tr>
            <th>Nick</th>
            <th>Until</th>
            <th>Reason</th>
            <th>By</th>
            <th>Since</th>
            <th><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${bans.map(
            (ban) =>
              html`<tr>
                <td>${ban.nick}</td>
                <td>${ban.until === null ? 'no end' : formatTime(ban.until)}</td>
                <td>${ban.reason ?? html`<span class="muted">—</span>`}</td>
                <td>${ban.by}</td>
                <td>${formatTime(ban.at)}</td>
                <td><button @click=${() => this.unban(ban.nick)} aria-label=${`Unban ${ban.nick}`}>Unban</button></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private handleRoom = (e: SubmitEvent) => {
    e.preventDefault();
    const room = new FormData(e.target as HTMLFormElement).get('room');
    if (typeof room !== 'string') return;
    this.status = '';
    if (room.trim() === this.room) void this.load();
    else this.room = room.trim();
  };

  private async unban(nick: string): Promise<void> {
    if (!this.api) return;
    try {
      await this.api.call('DELETE', `/rooms/${segment(this.room)}/bans/${segment(nick)}`);
      this.status = `${nick} is no longer banned from ${this.room}.`;
      await this.load();
      this.renderRoot.querySelector<HTMLInputElement>('input[name="room"]')?.focus(); // the row (and its button) is gone
    } catch (err) {
      this.error = describeError(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-bans': AdminBans;
  }
}
