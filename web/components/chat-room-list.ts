import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationKind, RoomSummary } from '../../server/protocol/events.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { avatarColour } from './chat-member-list.js';
import { chatRoomListStyles } from './chat-room-list-styles.js';
import { lockIcon } from './icons.js';
import { theme } from './theme.js';

export interface JoinedRoom {
  name: string;
  unread: number;
  /** How many of the unread messages mention you. */
  mentions?: number;
}

/** A direct message, private room or support conversation in the list. */
export interface ConversationItem {
  room: string;
  kind: ConversationKind;
  /** As shown: a direct message's other member, a private room's title, a support conversation's visitor. */
  name: string;
  unread: number;
  mentions?: number;
  /** The latest message as one line (`bea: see you`). */
  preview?: string;
}

const SECTIONS: readonly ConversationKind[] = ['direct', 'private', 'support'];

/**
 * The rooms you are in (with unread badges), your direct messages, private rooms and (for moderators) the support
 * inbox, other rooms people are in, and a field to join one by name.
 * @fires chat-room-select - detail `{ room }`: show this joined room or conversation
 * @fires chat-room-join - detail `{ room }`: join (or create) this room
 * @fires chat-room-leave - detail `{ room }`: leave this room
 * @fires chat-room-create - detail `{ title }`: create a private room with this title (the form stays until it opens)
 * @fires chat-mark-all-read - "Mark all read": read every room and conversation up to its latest message
 * @csspart base - the nav
 * @csspart room - a joined room's or conversation's button; also `room active` for the current one
 * @csspart badge - the unread count
 * @csspart mark-all-read-button - "Mark all read", beside the Rooms heading while anything is unread
 * @csspart mention-badge - how many unread messages mention you (`@2`), next to the unread count
 * @csspart leave-button - the × next to a room
 * @csspart preview - a conversation's latest message, under its name
 * @csspart new-private-button - "New private room"
 * @csspart create-form - the title field with Create and Cancel; `create-error` why the server refused it
 * @csspart other-room - a button of a room you are not in
 * @csspart join-form - the join field and button
 * @csspart error - why a join failed
 */
export class ChatRoomList extends LitElement {
  static override styles = [theme, chatRoomListStyles];

  @property({ attribute: false }) rooms: JoinedRoom[] = [];
  @property({ attribute: false }) others: RoomSummary[] = [];
  @property({ attribute: false }) conversations: ConversationItem[] = [];
  @property() active = '';
  @property() error = '';
  /** The field to join any room by name; off when the element offers only a list of rooms. */
  @property({ attribute: false }) freeJoin = true;
  /** The sections "Direct messages" and "Private rooms", with "New private room". */
  @property({ type: Boolean, attribute: 'private-conversations' }) privateConversations = false;
  /** The section "Support" even while it is empty: a moderator's inbox of every visitor's conversation. */
  @property({ type: Boolean, attribute: 'support-inbox' }) supportInbox = false;
  /** Why the last "New private room" was refused, in words. */
  @property({ attribute: 'create-error' }) createError = '';
  @property({ attribute: false }) strings: Strings = en;
  @state() private creating = false;
  @query('#join') private input?: HTMLInputElement;
  @query('#new-title') private titleInput?: HTMLInputElement;
  private pendingJoin: string | undefined;
  private pendingCreate = false;

  override render() {
    const s = this.strings.rooms;
    const joined = new Set(this.rooms.map((r) => r.name));
    const others = this.others.filter((r) => !joined.has(r.name));
    const anyUnread = [...this.rooms, ...this.conversations].some((r) => r.unread > 0);
    return html`<nav part="base" aria-label=${s.heading}>
      <section>
        <div class="heading">
          <h2 id="mine">${s.heading}</h2>
          ${
            anyUnread
              ? html`<button part="mark-all-read-button" @click=${() => emit(this, 'chat-mark-all-read', {})}>
                  ${s.markAllRead}
                </button>`
              : nothing
          }
        </div>
        <ul aria-labelledby="mine">
          ${repeat(
            this.rooms,
            (r) => r.name,
            (r) => this.renderRoom(r),
          )}
        </ul>
      </section>
      ${SECTIONS.map((kind) => this.renderSection(kind))}
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

  /** One kind of conversation, most recent first; "Private rooms" also has the form for a new one. */
  private renderSection(kind: ConversationKind) {
    const s = this.strings.conversations;
    const items = this.conversations.filter((c) => c.kind === kind);
    const shown = kind === 'support' ? this.supportInbox || items.length > 0 : this.privateConversations;
    if (!shown) return nothing;
    const empty = { direct: s.noDirect, private: s.noPrivate, support: s.noSupport }[kind];
    return html`<section>
      <h2 id=${kind}>${s[kind]}</h2>
      ${
        items.length === 0
          ? html`<p class="empty">${empty}</p>`
          : html`<ul aria-labelledby=${kind}>
              ${repeat(
                items,
                (c) => c.room,
                (c) => this.renderConversation(c),
              )}
            </ul>`
      }
      ${
        kind === 'private'
          ? html`<button
                part="new-private-button"
                aria-expanded=${this.creating ? 'true' : 'false'}
                @click=${this.toggleCreate}
              >
                + ${s.newPrivate}
              </button>
              ${this.creating ? this.createForm() : nothing}`
          : nothing
      }
    </section>`;
  }

  private renderConversation(c: ConversationItem) {
    const s = this.strings.rooms;
    const active = c.room === this.active;
    const icon =
      c.kind === 'private'
        ? html`<span class="icon lock" aria-hidden="true">${lockIcon}</span>`
        : html`<span class="icon" aria-hidden="true" style="background:${avatarColour(c.name)}"
            >${[...c.name][0]?.toUpperCase()}</span
          >`;
    return html`<li>
      <button
        class="room conversation ${c.unread > 0 ? 'unread' : ''}"
        part=${active ? 'room active' : 'room'}
        aria-current=${active ? 'page' : nothing}
        @click=${() => emit(this, 'chat-room-select', { room: c.room })}
      >
        ${icon}
        <span class="name">
          <bdi dir="auto">${c.name}</bdi>
          ${c.preview ? html`<span part="preview" dir="auto">${c.preview}</span>` : nothing}
        </span>
        ${
          c.mentions
            ? html`<span part="mention-badge" aria-label=${s.mentions(c.mentions)}>@${c.mentions}</span>`
            : nothing
        }
        ${c.unread > 0 ? html`<span part="badge" aria-label=${s.unread(c.unread)}>${c.unread}</span>` : nothing}
      </button>
    </li>`;
  }

  private createForm() {
    const s = this.strings.conversations;
    return html`<form part="create-form" @submit=${this.handleCreate} @keydown=${this.handleCreateKeydown}>
        <label for="new-title">${s.titleLabel}</label>
        <input
          id="new-title"
          maxlength="80"
          required
          autocomplete="off"
          placeholder=${s.titlePlaceholder}
          aria-invalid=${this.createError ? 'true' : 'false'}
          aria-describedby="create-error"
        />
        <div class="buttons">
          <button type="button" @click=${this.closeCreate}>${s.cancel}</button>
          <button type="submit">${s.create}</button>
        </div>
      </form>
      <p part="error create-error" id="create-error" role=${this.createError ? 'alert' : nothing}>
        ${this.createError}
      </p>`;
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

  private toggleCreate = async () => {
    if (this.creating) return this.closeCreate();
    this.creating = true;
    await this.updateComplete;
    this.titleInput?.focus();
  };

  private closeCreate = async () => {
    this.creating = false;
    this.pendingCreate = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="new-private-button"]')?.focus();
  };

  private handleCreate = (e: SubmitEvent) => {
    e.preventDefault();
    const title = this.titleInput?.value.trim() ?? '';
    if (!title) return;
    this.pendingCreate = true;
    emit(this, 'chat-room-create', { title });
  };

  private handleCreateKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation(); // the app's Escape would close the whole drawer
    void this.closeCreate();
  };

  /** The fields keep what was typed until the room opens, so a refused name or title can be corrected. */
  override updated(changed: Map<PropertyKey, unknown>): void {
    if (this.pendingJoin !== undefined && this.pendingJoin === this.active) {
      if (this.input) this.input.value = '';
      this.pendingJoin = undefined;
    }
    // A new private room opens as soon as it exists: the form has done its job.
    if (this.pendingCreate && changed.has('active') && this.conversations.some((c) => c.room === this.active)) {
      this.pendingCreate = false;
      this.creating = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-room-list': ChatRoomList;
  }
}
