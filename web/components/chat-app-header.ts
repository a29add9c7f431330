import { html, nothing, svg } from 'lit';
import type { ChatController } from '../chat/chat-controller.js';
import type { Notifier } from '../controllers/notifier.js';
import type { Strings } from '../i18n/strings.js';
import { statusDot, statusLabel } from './chat-app-parts.js';
import { roomTitle } from './chat-app-conversations.js';

/** What `<chat-app>`'s top bar shows. */
export interface HeaderView {
  chat: ChatController;
  strings: Strings;
  /** One conversation (a locked room or the support widget): no room list to open. */
  locked: boolean;
  /** A user signed in by the host site: the nick is text, not a button that opens the nickname form. */
  signed: boolean;
  /** The conversation cannot be shown (refused origin or sign-in, too many windows): no title. */
  refused: boolean;
  /** The support widget: the note above the conversation says who reads it, so no member list. */
  support: boolean;
  /** The side panel open on a narrow screen. */
  panel: 'rooms' | 'members' | undefined;
  notifier: Notifier;
  showReports: boolean;
}

export interface HeaderActions {
  toggleRooms: () => void;
  toggleMembers: () => void;
  toggleReports: () => void;
  openNickForm: () => void;
}

/**
 * The top bar: the rooms toggle (narrow screens), the room's title, the connection status, the nick (a button
 * that opens the nickname form, for a guest), the bell, a moderator's Reports button and the members toggle.
 */
export function appHeader(v: HeaderView, on: HeaderActions) {
  const { chat, strings: s, locked, refused, signed } = v;
  const room = chat.activeRoom;
  const unread = chat.unread.totals.total;
  return html`<header part="header">
    ${
      locked
        ? nothing
        : html`<button
            class="toggle rooms"
            aria-expanded=${v.panel === 'rooms'}
            aria-controls="sidebar"
            @click=${on.toggleRooms}
          >
            ☰ ${s.rooms.open}${unread > 0 ? ` (${unread})` : ''}
          </button>`
    }
    <h2 part="title">${room && !refused ? roomTitle(chat, room, s) : nothing}</h2>
    <chat-status status=${statusDot(chat)} label=${statusLabel(chat, s.status)}></chat-status>
    ${
      chat.nick !== undefined && signed
        ? html`<span part="nick" class="nick">@${chat.nick}</span>`
        : chat.nick !== undefined
          ? html`<button
              part="nick-button"
              title=${s.nick.change}
              aria-label="${s.nick.change}: ${chat.nick}"
              @click=${on.openNickForm}
            >
              @${chat.nick}
            </button>`
          : nothing
    }
    ${v.notifier.supported && chat.nick !== undefined ? bellButton(v.notifier, s.notify) : nothing}
    ${reportsToggle(chat, s, v.showReports, on.toggleReports)}
    ${
      v.support // the note above the conversation says who reads it
        ? nothing
        : html`<button
            class="toggle members"
            aria-expanded=${v.panel === 'members'}
            aria-controls="members"
            @click=${on.toggleMembers}
          >
            ${s.members.toggle}
          </button>`
    }
  </header>`;
}

/**
 * A moderator's Reports button in the header (with the open reports' count) and, when it is pressed, the list
 * above the conversation; nothing for anyone else.
 */
export function reportsToggle(chat: ChatController, s: Strings, shown: boolean, toggle: () => void) {
  if (!chat.moderation.isModerator) return nothing;
  return html`<button
    class="reports-toggle"
    part="reports-button"
    aria-expanded=${shown}
    aria-controls="reports"
    @click=${toggle}
  >
    ${s.reports.toggle(chat.reports.open.length)}
  </button>`;
}

/** The bell: opt-in desktop notifications, asked for on this click (a user gesture), never on load. */
export function bellButton(n: Notifier, s: Strings['notify']) {
  const label = n.blocked ? s.blocked : n.enabled ? s.on : s.off;
  return html`<button
    part="notify-button"
    class="bell"
    aria-pressed=${n.enabled ? 'true' : 'false'}
    aria-label=${label}
    title=${label}
    ?disabled=${n.blocked}
    @click=${() => void n.toggle()}
  >
    <svg
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" fill=${n.enabled ? 'currentColor' : 'none'}></path>
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"></path>
      ${n.enabled ? nothing : svg`<path d="M3 3l18 18"></path>`}
    </svg>
  </button>`;
}
