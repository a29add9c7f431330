import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationKind } from '../../server/protocol/events.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { chatConversationBarStyles } from './chat-conversation-bar-styles.js';
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
  static override styles = [theme, chatConversationBarStyles];

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
