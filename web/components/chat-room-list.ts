import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomSummary } from '../../server/protocol/events.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { theme } from './theme.js';

export interface JoinedRoom {
  name: string;
  unread: number;
  /** How many of the unread messages mention you. */
  mentions?: number;
}

/**
 * The rooms you are in (with unread badges), other rooms people are in, and a field to join one by name.
 * @fires chat-room-select - detail `{ room }`: show this joined room
 * @fires chat-room-join - detail `{ room }`: join (or create) this room
 * @fires chat-room-leave - detail `{ room }`: leave this room
 * @csspart base - the nav
 * @csspart room - a joined room's button; also `room active` for the current one
 * @csspart badge - the unread count
 * @csspart mention-badge - how many unread messages mention you (`@2`), next to the unread count
 * @csspart leave-button - the × next to a room
 * @csspart other-room - a button of a room you are not in
 * @csspart join-form - the join field and button
 * @csspart error - why a join failed
 */
export class ChatRoomList extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      nav {
        display: flex;
        flex-direction: column;
        gap: 1rem;
        padding: 0.75rem;
      }
      h2 {
        margin: 0 0 0.35rem;
        font-size: 0.75em;
        letter-spacing: 0.06em;
        text-transform: uppercase;
        color: var(--_muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 2px;
      }
      li {
        display: flex;
        align-items: center;
        border-radius: var(--_radius);
      }
      li:hover {
        background: color-mix(in srgb, var(--_text) 6%, transparent);
      }
      .room {
        flex: 1;
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-inline-size: 0;
        padding: 0.45rem 0.6rem;
        border: 0;
        background: none;
        color: inherit;
        text-align: start;
        border-radius: var(--_radius);
      }
      .room .name {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .room.unread .name {
        font-weight: 700;
      }
      [aria-current='page'] {
        background: var(--_accent);
        color: var(--_on-accent);
      }
      [part='badge'] {
        min-inline-size: 1.5em;
        padding: 0.05em 0.45em;
        border-radius: 999px;
        background: var(--_danger);
        color: #fff;
        font-size: 0.78em;
        font-weight: 700;
        text-align: center;
      }
      [part='mention-badge'] {
        padding: 0.05em 0.45em;
        border-radius: 999px;
        background: var(--_accent);
        color: var(--_on-accent);
        font-size: 0.78em;
        font-weight: 700;
      }
      [part='leave-button'] {
        border: 0;
        background: none;
        color: var(--_muted);
        padding: 0.3rem 0.5rem;
        border-radius: var(--_radius);
        opacity: 0;
      }
      li:hover [part='leave-button'],
      [part='leave-button']:focus-visible {
        opacity: 1;
      }
      @media (hover: none) {
        [part='leave-button'] {
          opacity: 1;
        }
      }
      [part='other-room'] {
        flex: 1;
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        border: 0;
        background: none;
        color: inherit;
        padding: 0.4rem 0.6rem;
        border-radius: var(--_radius);
        text-align: start;
      }
      .count {
        color: var(--_muted);
        font-size: 0.85em;
        white-space: nowrap;
      }
      .empty {
        color: var(--_muted);
        font-size: 0.9em;
        padding-inline: 0.6rem;
      }
      form {
        display: flex;
        gap: 0.4rem;
      }
      input {
        flex: 1;
        min-inline-size: 0;
        padding: 0.45rem 0.6rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
      }
      form button {
        border: 0;
        border-radius: var(--_radius);
        padding: 0.45rem 0.8rem;
        background: var(--_accent);
        color: var(--_on-accent);
      }
      [part='error'] {
        color: var(--_danger);
        font-size: 0.85em;
        margin: 0.35rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) rooms: JoinedRoom[] = [];
  @property({ attribute: false }) others: RoomSummary[] = [];
  @property() active = '';
  @property() error = '';
  /** The field to join any room by name; off when the element offers only a list of rooms. */
  @property({ attribute: false }) freeJoin = true;
  @property({ attribute: false }) strings: Strings = en;
  @query('input') private input?: HTMLInputElement;
  private pendingJoin: string | undefined;

  override render() {
    const s = this.strings.rooms;
    const joined = new Set(this.rooms.map((r) => r.name));
    const others = this.others.filter((r) => !joined.has(r.name));
    return html`<nav part="base" aria-label=${s.heading}>
      <section>
        <h2 id="mine">${s.heading}</h2>
        <ul aria-labelledby="mine">
          ${repeat(
            this.rooms,
            (r) => r.name,
            (r) => this.renderRoom(r),
          )}
        </ul>
      </section>
      <section>
        <h2 id="others">${s.others}</h2>
        ${
          others.length === 0
            ? html`<p class="empty">${s.none}</p>`
            : html`<ul aria-labelledby="others">
                ${repeat(
                  others,
                  (r) => r.name,
                  (r) =>
                    html`<li>
                      <button part="other-room" @click=${() => emit(this, 'chat-room-join', { room: r.name })}>
                        <span># ${r.name}</span><span class="count">${s.people(r.members)}</span>
                      </button>
                    </li>`,
                )}
              </ul>`
        }
      </section>
      ${this.freeJoin ? this.joinForm() : html`<p part="error" role=${this.error ? 'alert' : nothing}>${this.error}</p>`}
    </nav>`;
  }

  private joinForm() {
    const s = this.strings.rooms;
    return html`<section>
      <form part="join-form" @submit=${this.handleJoin}>
        <label class="visually-hidden" for="join">${s.joinLabel}</label>
        <input
          id="join"
          placeholder=${s.joinPlaceholder}
          autocomplete="off"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby="join-error"
        />
        <button type="submit">${s.join}</button>
      </form>
      <p part="error" id="join-error" role=${this.error ? 'alert' : nothing}>${this.error}</p>
    </section>`;
  }

  private renderRoom(r: JoinedRoom) {
    const s = this.strings.rooms;
    const active = r.name === this.active;
    return html`<li>
      <button
        class="room ${r.unread > 0 ? 'unread' : ''}"
        part=${active ? 'room active' : 'room'}
        aria-current=${active ? 'page' : nothing}
        @click=${() => emit(this, 'chat-room-select', { room: r.name })}
      >
        <span class="name"># ${r.name}</span>
        ${
          r.mentions
            ? html`<span part="mention-badge" aria-label=${s.mentions(r.mentions)}>@${r.mentions}</span>`
            : nothing
        }
        ${r.unread > 0 ? html`<span part="badge" aria-label=${s.unread(r.unread)}>${r.unread}</span>` : nothing}
      </button>
      <button
        part="leave-button"
        aria-label=${s.leave(r.name)}
        title=${s.leave(r.name)}
        @click=${() => emit(this, 'chat-room-leave', { room: r.name })}
      >
        ×
      </button>
    </li>`;
  }

  private handleJoin = (e: SubmitEvent) => {
    e.preventDefault();
    const room = this.input?.value.trim().replace(/^#/, '') ?? '';
    if (!room) return;
    this.pendingJoin = room;
    emit(this, 'chat-room-join', { room });
  };

  /** The field keeps the name until the room opens, so a refused name can be corrected. */
  override updated(): void {
    if (this.pendingJoin !== undefined && this.pendingJoin === this.active) {
      if (this.input) this.input.value = '';
      this.pendingJoin = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-room-list': ChatRoomList;
  }
}
