import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { BAN_CHOICES } from '../chat/moderation.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { localTime } from './format.js';
import { theme } from './theme.js';

/**
 * Who is in the room, from `room:members`, kept current by `presence` diffs. With `messaging`, a Message button
 * next to everyone else opens a direct conversation. A moderator also gets a Ban
 * button next to everyone else, which asks first and for how long (`BAN_CHOICES`), and, under "Banned", an
 * Unban button for the bans announced while here.
 * @fires chat-member-ban - detail `{ room, nick, minutes?, reason? }`: a moderator's confirmed Ban (no `minutes`:
 *   no end; `reason` as typed, absent when blank)
 * @fires chat-member-unban - detail `{ room, nick }`: a moderator's Unban
 * @fires chat-direct-open - detail `{ nick }`: Message next to a member
 * @csspart base - the section
 * @csspart member - one person; also `member self` for you, `member banned` under "Banned"
 * @csspart avatar - the initial in a circle
 * @csspart message-button - Message next to a member (with `messaging`)
 * @csspart ban-button - Ban next to a member; `unban-button` Unban next to a banned nick
 * @csspart ban-form - the question Ban opens: `ban-length` (how long), `ban-confirm-button`, `ban-cancel-button`
 * @csspart error - why a ban or unban was refused
 */
export class ChatMemberList extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      section {
        padding: 0.75rem;
      }
      h2 {
        margin: 0 0 0.5rem;
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
        gap: 0.35rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-inline-size: 0;
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      [part='avatar'] {
        flex: none;
        display: grid;
        place-items: center;
        inline-size: 1.8em;
        block-size: 1.8em;
        border-radius: 50%;
        color: #fff;
        font-size: 0.85em;
        font-weight: 700;
      }
      .you,
      .until {
        color: var(--_muted);
        font-size: 0.85em;
      }
      .actions {
        margin-inline-start: auto;
        display: flex;
        gap: 0.3rem;
      }
      .mod {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        color: inherit;
        font-size: 0.8em;
        padding: 0.15rem 0.5rem;
      }
      [part='ban-button']:hover,
      [part='ban-button']:focus-visible {
        border-color: var(--_danger);
        color: var(--_danger);
      }
      .until {
        font-size: 0.8em;
        white-space: nowrap;
      }
      .who {
        flex: 1;
        display: flex;
        flex-direction: column;
        min-inline-size: 0;
      }
      h2.banned {
        margin-block-start: 1rem;
      }
      [part='error'] {
        color: var(--_danger);
        font-size: 0.85em;
      }
      [part='ban-form'] {
        display: grid;
        gap: 0.4rem;
        margin: 0.2rem 0 0.5rem;
        padding: 0.5rem;
        border: 1px solid var(--_danger);
        border-radius: var(--_radius);
        font-size: 0.85em;
      }
      [part='ban-form'] p {
        margin: 0;
        font-weight: 600;
      }
      [part='ban-form'] .buttons {
        display: flex;
        gap: 0.4rem;
        justify-content: flex-end;
      }
      [part='ban-form'] button,
      [part='ban-form'] select {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        color: inherit;
        padding: 0.2rem 0.5rem;
        font: inherit;
      }
      [part='ban-confirm-button'] {
        background: var(--_danger) !important;
        border-color: var(--_danger) !important;
        color: #fff !important;
        font-weight: 600;
      }
    `,
  ];

  @property() room = '';
  @property({ attribute: false }) members: string[] = [];
  /** Bans announced in this room: [nick, when it ends (ms since the epoch; null: no end)]. For moderators. */
  @property({ attribute: false }) bans: readonly (readonly [string, number | null])[] = [];
  /** Your own nick, marked in the list. */
  @property() nick = '';
  @property({ type: Boolean }) moderator = false;
  /** Offer Message next to everyone else (the owner opens direct conversations). */
  @property({ type: Boolean }) messaging = false;
  /** Why the last ban or unban was refused, in words. */
  @property() error = '';
  @property() locale = 'en';
  @property({ attribute: false }) strings: Strings = en;
  /** The member whose Ban asks "for how long?" now. */
  @state() private banning: string | undefined;

  override render() {
    const s = this.strings.moderation;
    const bans = this.moderator ? this.bans : [];
    return html`<section part="base" aria-labelledby="h">
      <h2 id="h">${this.strings.members.heading} · ${this.members.length}</h2>
      <ul>
        ${repeat(
          this.members,
          (m) => m,
          (m) =>
            html`<li part=${m === this.nick ? 'member self' : 'member'}>
                ${avatar(m)}<span class="name">${m}</span
                >${m === this.nick ? html`<span class="you">(${this.strings.log.you})</span>` : ''}
                ${m === this.nick ? nothing : this.memberActions(m)}
              </li>
              ${this.moderator && this.banning === m ? this.banForm(m) : nothing}`,
        )}
      </ul>
      ${
        bans.length > 0
          ? html`<h2 class="banned" id="banned">${s.banned} · ${bans.length}</h2>
              <ul aria-labelledby="banned">
                ${bans.map(
                  ([m, until]) =>
                    html`<li part="member banned">
                      ${avatar(m)}
                      <span class="who">
                        <span class="name">${m}</span>
                        ${until === null ? nothing : html`<span class="until">${s.until(localTime(until, this.locale))}</span>`}
                      </span>
                      <button
                        part="unban-button"
                        class="mod"
                        aria-label=${s.unban(m)}
                        @click=${() => emit(this, 'chat-member-unban', { room: this.room, nick: m })}
                      >
                        ${s.unbanButton}
                      </button>
                    </li>`,
                )}
              </ul>`
          : nothing
      }
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  /** Message (with `messaging`) and, for a moderator, Ban, next to someone else. */
  private memberActions(m: string) {
    if (!this.messaging && !this.moderator) return nothing;
    const s = this.strings.moderation;
    const c = this.strings.conversations;
    return html`<span class="actions">
      ${
        this.messaging
          ? html`<button
              part="message-button"
              class="mod"
              aria-label=${c.message(m)}
              title=${c.message(m)}
              @click=${() => emit(this, 'chat-direct-open', { nick: m })}
            >
              ${c.messageButton}
            </button>`
          : nothing
      }
      ${
        this.moderator
          ? html`<button
              part="ban-button"
              class="mod"
              aria-label=${s.ban(m)}
              title=${s.ban(m)}
              aria-expanded=${this.banning === m ? 'true' : 'false'}
              @click=${() => this.askBan(m)}
            >
              ${s.banButton}
            </button>`
          : nothing
      }
    </span>`;
  }

  /** "Ban nick from this room?" with how long, under the member; nothing is sent before Ban is pressed. */
  private banForm(nick: string) {
    const s = this.strings.moderation;
    return html`<li>
      <form
        part="ban-form"
        aria-label=${s.banAsk(nick)}
        @submit=${(e: SubmitEvent) => this.confirmBan(e, nick)}
        @keydown=${this.handleBanKeydown}
      >
        <p>${s.banAsk(nick)}</p>
        <label
          >${s.banLength}
          <select part="ban-length" name="minutes">
            ${BAN_CHOICES.map(
              (minutes) =>
                html`<option value=${minutes ?? ''} ?selected=${minutes === 60}>${s.duration(minutes)}</option>`,
            )}
          </select></label
        >
        <label
          >${s.banReason}
          <input part="ban-reason" name="reason" maxlength="200" autocomplete="off" />
        </label>
        <div class="buttons">
          <button part="ban-cancel-button" type="button" @click=${() => this.closeBan(nick)}>${s.banCancel}</button>
          <button part="ban-confirm-button" type="submit">${s.banConfirm}</button>
        </div>
      </form>
    </li>`;
  }

  private async askBan(nick: string): Promise<void> {
    this.banning = this.banning === nick ? undefined : nick;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLSelectElement>('[part="ban-length"]')?.focus();
  }

  private confirmBan(e: SubmitEvent, nick: string): void {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const [value, typed] = [form.get('minutes'), form.get('reason')];
    const minutes = typeof value === 'string' && value !== '' ? Number(value) : undefined;
    const reason = typeof typed === 'string' ? typed.trim() : '';
    this.banning = undefined;
    emit(this, 'chat-member-ban', {
      room: this.room,
      nick,
      ...(minutes === undefined ? {} : { minutes }),
      ...(reason === '' ? {} : { reason }),
    });
  }

  private async closeBan(nick: string): Promise<void> {
    this.banning = undefined;
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`[part="ban-button"][aria-label="${CSS.escape(this.strings.moderation.ban(nick))}"]`)
      ?.focus();
  }

  private handleBanKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || this.banning === undefined) return;
    e.stopPropagation();
    void this.closeBan(this.banning);
  };
}

const avatar = (nick: string) =>
  html`<span part="avatar" aria-hidden="true" style="background:${avatarColour(nick)}"
    >${[...nick][0]?.toUpperCase()}</span
  >`;

/** A stable colour per nick, so people are recognisable at a glance. */
export function avatarColour(nick: string): string {
  let hash = 0;
  for (const ch of nick) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return `hsl(${hash % 360} 55% 45%)`;
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-member-list': ChatMemberList;
  }
}
