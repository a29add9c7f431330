import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationKind } from '../../server/protocol/events.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { avatarColour } from './chat-member-list.js';
import { lockIcon } from './icons.js';
import { theme } from './theme.js';

/**
 * Above a conversation's messages: who can read it. For a private room also its members, with Invite (a field
 * that completes known nicks), Remove (with `can-remove`: the server allows it to the room's creator and to
 * moderators, and answers NOT_ALLOWED otherwise) and Leave, which asks first.
 * @fires chat-member-invite - detail `{ room, nick }`: Invite with the nick typed
 * @fires chat-member-remove - detail `{ room, nick }`: Remove next to a member
 * @fires chat-conversation-leave - detail `{ room }`: Leave, confirmed
 * @csspart base - the bar
 * @csspart note - who can read the conversation
 * @csspart members-button - "Members (n)", which opens the members panel; `invite-button` opens it at the field
 * @csspart leave-button - Leave; `leave-form` the question it asks, with `leave-confirm-button`
 * @csspart members-panel - the members with `remove-button`s, and the `invite-form`
 * @csspart error - why Invite, Remove or Leave was refused
 */
export class ChatConversationBar extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        border-block-end: 1px solid var(--_border);
        background: var(--_surface);
        font-size: 0.88em;
      }
      [part='base'] {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 0.6rem;
        padding: 0.4rem 1rem;
      }
      [part='note'] {
        flex: 1 1 6rem;
        display: flex;
        align-items: center;
        gap: 0.4rem;
        margin: 0;
        min-inline-size: 0;
        color: var(--_muted);
      }
      .who {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      svg {
        flex: none;
      }
      .buttons {
        display: flex;
        gap: 0.4rem;
      }
      button {
        border: 1px solid var(--_border);
        border-radius: 999px;
        background: var(--_bg);
        color: inherit;
        padding: 0.2rem 0.7rem;
        white-space: nowrap;
      }
      [part='leave-button']:hover,
      [part='remove-button']:hover {
        border-color: var(--_danger);
        color: var(--_danger);
      }
      [part='members-panel'],
      [part='leave-form'] {
        display: grid;
        gap: 0.5rem;
        padding: 0.5rem 1rem 0.75rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.35rem;
        padding: 0.15rem 0.2rem 0.15rem 0.15rem;
        border: 1px solid var(--_border);
        border-radius: 999px;
        background: var(--_bg);
        max-inline-size: 100%;
      }
      li bdi {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        padding-inline-end: 0.4rem;
      }
      li button {
        padding: 0 0.5rem;
        font-size: 0.9em;
      }
      .avatar {
        flex: none;
        display: grid;
        place-items: center;
        inline-size: 1.5em;
        block-size: 1.5em;
        border-radius: 50%;
        color: #fff;
        font-size: 0.85em;
        font-weight: 700;
      }
      .you {
        color: var(--_muted);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem;
        margin: 0;
      }
      label {
        flex-basis: 100%;
        font-weight: 600;
      }
      input {
        flex: 1 1 9rem;
        min-inline-size: 0;
        padding: 0.3rem 0.6rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
      }
      form button[type='submit'] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_on-accent);
      }
      [part='leave-form'] p {
        margin: 0;
        font-weight: 600;
      }
      [part='leave-confirm-button'] {
        background: var(--_danger) !important;
        border-color: var(--_danger) !important;
        color: #fff !important;
      }
      [part='error'] {
        margin: 0;
        padding: 0 1rem 0.5rem;
        color: var(--_danger);
      }
    `,
  ];

  @property() room = '';
  @property() kind: ConversationKind = 'private';
  /** As shown: a direct message's other member, a private room's title, a support conversation's visitor. */
  @property() name = '';
  @property({ attribute: false }) members: string[] = [];
  /** Your own nick: marked, never offered Remove. */
  @property() nick = '';
  /** The visitor's own support conversation (the widget), rather than a moderator's view of someone's. */
  @property({ type: Boolean }) visitor = false;
  /** Offer Remove next to the other members: you created the room here, or you are a moderator. */
  @property({ type: Boolean, attribute: 'can-remove' }) canRemove = false;
  /** Nicks to complete in the Invite field: people in the rooms you are in. */
  @property({ attribute: false }) knownNicks: string[] = [];
  /** Why Invite, Remove or Leave was refused, in words. */
  @property() error = '';
  @property({ attribute: false }) strings: Strings = en;
  @state() private panel = false;
  @state() private leaving = false;
  @query('#invite') private inviteInput?: HTMLInputElement;
  private pendingInvite: string | undefined;

  override render() {
    const s = this.strings.conversations;
    if (this.kind !== 'private') {
      const note =
        this.kind === 'direct'
          ? s.directNote(this.name)
          : this.visitor
            ? `${s.supportWelcome} ${s.supportNote}`
            : s.supportTeamNote(this.name);
      return html`<div part="base">
        <p part="note">${lockIcon}<span>${note}</span></p>
      </div>`;
    }
    return html`<div part="base">
        <p part="note">
          ${lockIcon}<span class="visually-hidden">${s.kind('private')}: </span
          ><bdi class="who">${this.members.join(', ')}</bdi>
        </p>
        <div class="buttons">
          <button
            part="members-button"
            aria-expanded=${this.panel ? 'true' : 'false'}
            aria-controls="panel"
            @click=${() => this.togglePanel(false)}
          >
            ${s.membersButton(this.members.length)}
          </button>
          <button part="invite-button" aria-controls="panel" @click=${() => this.togglePanel(true)}>${s.invite}</button>
          <button part="leave-button" aria-expanded=${this.leaving ? 'true' : 'false'} @click=${this.askLeave}>
            ${s.leave}
          </button>
        </div>
      </div>
      ${this.leaving ? this.leaveForm() : nothing} ${this.panel ? this.membersPanel() : nothing}
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private membersPanel() {
    const s = this.strings.conversations;
    const suggestions = this.knownNicks.filter((n) => !this.members.includes(n));
    return html`<div part="members-panel" id="panel" @keydown=${this.handleEscape}>
      <ul aria-label=${s.members(this.members.length)}>
        ${repeat(
          this.members,
          (m) => m,
          (m) =>
            html`<li>
              <span class="avatar" aria-hidden="true" style="background:${avatarColour(m)}"
                >${[...m][0]?.toUpperCase()}</span
              ><bdi>${m}${m === this.nick ? html` <span class="you">(${this.strings.log.you})</span>` : nothing}</bdi>
              ${
                this.canRemove && m !== this.nick
                  ? html`<button
                      part="remove-button"
                      aria-label=${s.remove(m)}
                      title=${s.remove(m)}
                      @click=${() => emit(this, 'chat-member-remove', { room: this.room, nick: m })}
                    >
                      ${s.removeButton}
                    </button>`
                  : nothing
              }
            </li>`,
        )}
      </ul>
      <form part="invite-form" @submit=${this.handleInvite}>
        <label for="invite">${s.inviteLabel}</label>
        <input id="invite" list="known-nicks" autocomplete="off" required placeholder=${s.invitePlaceholder} />
        <datalist id="known-nicks">${suggestions.map((n) => html`<option value=${n}></option>`)}</datalist>
        <button type="submit">${s.invite}</button>
      </form>
    </div>`;
  }

  private leaveForm() {
    const s = this.strings.conversations;
    return html`<form part="leave-form" @submit=${this.confirmLeave} @keydown=${this.handleEscape}>
      <p>${s.leaveAsk(this.name)}</p>
      <div class="buttons">
        <button type="button" @click=${this.cancelLeave}>${s.cancel}</button>
        <button part="leave-confirm-button" type="submit">${s.leaveConfirm}</button>
      </div>
    </form>`;
  }

  private async togglePanel(atInvite: boolean): Promise<void> {
    this.panel = atInvite || !this.panel;
    this.leaving = false;
    await this.updateComplete;
    if (atInvite) this.inviteInput?.focus();
  }

  private askLeave = async () => {
    this.leaving = !this.leaving;
    this.panel = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="leave-confirm-button"]')?.focus();
  };

  private cancelLeave = async () => {
    this.leaving = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="leave-button"]')?.focus();
  };

  private confirmLeave = (e: SubmitEvent) => {
    e.preventDefault();
    this.leaving = false;
    emit(this, 'chat-conversation-leave', { room: this.room });
  };

  private handleInvite = (e: SubmitEvent) => {
    e.preventDefault();
    const nick = this.inviteInput?.value.trim() ?? '';
    if (!nick) return;
    this.pendingInvite = nick;
    emit(this, 'chat-member-invite', { room: this.room, nick });
  };

  /** Escape closes the panel or the question, and nothing else (the app's Escape closes its drawers). */
  private handleEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    const wasLeaving = this.leaving;
    this.panel = false;
    this.leaving = false;
    const button = wasLeaving ? 'leave-button' : 'members-button';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[part="${button}"]`)?.focus());
  };

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another conversation in the same element: nothing of the last one stays open.
    if (changed.has('room') && changed.get('room') !== undefined) {
      this.panel = false;
      this.leaving = false;
      this.pendingInvite = undefined;
    }
  }

  /** The Invite field keeps the nick until that person is a member, so a refused one can be corrected. */
  override updated(): void {
    if (this.pendingInvite !== undefined && this.members.includes(this.pendingInvite)) {
      if (this.inviteInput) this.inviteInput.value = '';
      this.pendingInvite = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-conversation-bar': ChatConversationBar;
  }
}
