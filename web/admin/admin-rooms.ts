import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AdminRoom, AdminRoomList } from '../../server/protocol/admin-console.js';
import { theme } from '../components/theme.js';
import { type AdminApi, describeError } from './admin-api.js';
import { viewStyles } from './admin-styles.js';

/**
 * Public rooms with people in them and how many (`GET /api/admin/rooms`). Each row opens the room's bans; for
 * the admin (`canRetain`) also its retention, shown below the table, as for any room typed in the field.
 * @fires admin-open-bans - detail `{ room }`; the console shows that room's bans
 * @csspart list - the table of rooms
 */
export class AdminRooms extends LitElement {
  static override styles = [theme, viewStyles];

  @property({ attribute: false }) api?: AdminApi;
  /** Whether the caller may read and set retention (ADMIN_TOKEN). */
  @property({ type: Boolean }) canRetain = false;
  @state() private rooms?: AdminRoom[];
  @state() private error = '';
  /** The room whose retention is open. */
  @state() private retained = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private handleRefresh = () => void this.load();

  async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.rooms = (await this.api.get<AdminRoomList>('/rooms')).rooms;
      this.error = '';
    } catch (err) {
      this.error = describeError(err);
    }
  }

  override render() {
    return html`<h2>Rooms</h2>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="row"><button @click=${this.handleRefresh}>Refresh</button></div>
      ${this.rooms === undefined ? html`<p class="muted">Loading…</p>` : this.renderRooms(this.rooms)}
      ${this.canRetain ? this.renderRetention() : nothing}`;
  }

  private renderRooms(rooms: AdminRoom[]) {
    if (rooms.length === 0) return html`<p class="empty">Nobody is in a public room.</p>`;
    return html`<div class="table-wrap" part="list">
      <table>
        <caption class="visually-hidden">
          Public rooms with people in them
        </caption>
        <thead>
          <tr>
            <th>Room</th>
            <th>Members online</th>
            <th>Kept</th>
            <th><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${rooms.map(
            (room) =>
              html`<tr>
                <td>${room.name}</td>
                <td>${room.members}</td>
                <td>${room.retentionDays === 0 ? 'for ever' : `${room.retentionDays} days`}</td>
                <td>
                  <div class="row" style="margin:0">
                    <button @click=${() => this.openBans(room.name)} aria-label=${`Bans in ${room.name}`}>Bans</button>
                    ${
                      this.canRetain
                        ? html`<button
                            @click=${() => this.openRetention(room.name)}
                            aria-label=${`Retention of ${room.name}`}
                          >
                            Retention
                          </button>`
                        : nothing
                    }
                  </div>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderRetention() {
    return html`<h2 style="margin-block-start:1.25rem">Retention</h2>
      <form @submit=${this.handleRetentionRoom}>
        <label>Room <input name="retention-room" .value=${this.retained} required autocomplete="off" /></label>
        <button>Show retention</button>
      </form>
      ${this.retained === '' ? nothing : html`<admin-retention .api=${this.api} room=${this.retained}></admin-retention>`}`;
  }

  private openBans(room: string) {
    this.dispatchEvent(new CustomEvent('admin-open-bans', { detail: { room }, bubbles: true, composed: true }));
  }

  private openRetention(room: string) {
    this.retained = room;
    void this.updateComplete.then(() => this.renderRoot.querySelector('admin-retention')?.focus());
  }

  private handleRetentionRoom = (e: SubmitEvent) => {
    e.preventDefault();
    const room = new FormData(e.target as HTMLFormElement).get('retention-room');
    if (typeof room === 'string') this.retained = room.trim();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-rooms': AdminRooms;
  }
  interface HTMLElementEventMap {
    'admin-open-bans': CustomEvent<{ room: string }>;
  }
}
