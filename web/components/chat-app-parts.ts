import { html, nothing, svg } from 'lit';
import type { ChatController } from '../chat/chat-controller.js';
import type { Notifier } from '../controllers/notifier.js';
import type { Strings } from '../i18n/strings.js';

/** Pieces of `<chat-app>`'s template that need no state of their own, kept here so the element stays short. */

/** What the status line says: the connection, a refused origin or sign-in, or how a reconnect went. */
export function statusLabel(chat: ChatController, s: Strings['status']): string {
  const { status } = chat.connection;
  const note = chat.syncNote;
  if (chat.auth.problem) return chat.auth.problem === 'AUTH_EXPIRED' ? s.authExpired : s.authInvalid;
  if (status === 'refused') return s.refused;
  if (status !== 'online') return status === 'offline' ? s.offline : s.connecting;
  if (note?.kind === 'recovered') return s.recovered;
  if (note?.kind === 'caught-up') return s.caughtUp(note.count);
  return s.online;
}

/** Why the chat cannot be used here, in place of the conversation: a refused origin or a refused sign-in. */
export function blockedNotice(chat: ChatController, s: Strings['status']) {
  const problem = chat.auth.problem;
  if (problem) {
    const text = problem === 'AUTH_EXPIRED' ? s.authExpiredDetail : s.authInvalidDetail;
    return html`<p part="auth-error" role="alert">${text}</p>`;
  }
  if (chat.connection.status === 'refused') return html`<p part="refused" role="alert">${s.refusedDetail}</p>`;
  return nothing;
}

/** The nick form's error in words; `NOT_ALLOWED` there means the server admits only the site's signed-in users. */
export function nickErrorText(chat: ChatController, s: Strings): string {
  const error = chat.nickError?.error;
  if (!error) return '';
  return error.code === 'NOT_ALLOWED' ? s.nick.signInRequired : (s.errors[error.code] ?? error.message);
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
