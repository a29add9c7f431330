import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { en, type Strings } from '../i18n/strings.js';
import { theme } from './theme.js';

/**
 * Who is in the room, from `room:members`, kept current by `presence` diffs.
 * @csspart base - the section
 * @csspart member - one person; also `member self` for you
 * @csspart avatar - the initial in a circle
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
      .you {
        color: var(--_muted);
        font-size: 0.85em;
      }
    `,
  ];

  @property({ attribute: false }) members: string[] = [];
  /** Your own nick, marked in the list. */
  @property() nick = '';
  @property({ attribute: false }) strings: Strings = en;

  override render() {
    return html`<section part="base" aria-labelledby="h">
      <h2 id="h">${this.strings.members.heading} · ${this.members.length}</h2>
      <ul>
        ${repeat(
          this.members,
          (m) => m,
          (m) =>
            html`<li part=${m === this.nick ? 'member self' : 'member'}>
              <span part="avatar" aria-hidden="true" style="background:${avatarColour(m)}"
                >${[...m][0]?.toUpperCase()}</span
              >
              <span class="name">${m}</span
              >${m === this.nick ? html`<span class="you">(${this.strings.log.you})</span>` : ''}
            </li>`,
        )}
      </ul>
    </section>`;
  }
}

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
