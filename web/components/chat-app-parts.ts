import { html, nothing } from 'lit';
import type { Message } from '../../server/protocol/events.js';
import type { ChatController } from '../chat/chat-controller.js';
import type { RoomPolicy } from '../chat/room-policy.js';
import type { RoomState } from '../chat/room-state.js';
import type { ConnectionStatus } from '../connection/chat-connection.js';
import type { ClientError } from '../connection/request.js';
import type { ChatEventMap } from '../events.js';
import type { Strings } from '../i18n/strings.js';
import type { ConversationItem, JoinedRoom } from './chat-room-list.js';
import { localTime } from './format.js';

/** Pieces of `<chat-app>`'s template that need no state of their own, kept here so the element stays short. */

type Detail<K extends keyof ChatEventMap> = CustomEvent<ChatEventMap[K]>;

export interface RoomView {
  chat: ChatController;
  room: RoomState | undefined;
  strings: Strings;
  lang: string;
  /** A conversation's name as shown ('' for a public room, which is called `#room`). */
  name?: string;
}

/** A refusal in words from the strings table, else the server's own message. */
export const errorText = (s: Strings, error: ClientError | undefined): string =>
  error ? (s.errors[error.code] ?? error.message) : '';

/**
 * The room in view: its messages, who is typing and the composer. `mentionsMe` and `onEditStart` come from the
 * element, as stable functions (a new one on each render would re-render the list).
 */
export function conversation(
  { chat, room, strings: s, lang, name = '' }: RoomView & { room: RoomState },
  own: { mentionsMe: (m: Message) => boolean; onEditStart: (e: Detail<'chat-edit-start'>) => void },
) {
  return html`<chat-message-list
      room=${room.name}
      name=${name}
      .items=${room.timeline}
      version=${room.version}
      .pending=${chat.outbox.forRoom(room.name)}
      nick=${chat.nick ?? ''}
      ?moderator=${chat.moderation.isModerator}
      .marker=${chat.marker}
      .hasOlder=${room.hasOlder}
      .retentionDays=${room.retentionDays}
      .loadingOlder=${room.loadingOlder}
      .strings=${s}
      locale=${lang}
      .errors=${chat.edits.errors}
      .reports=${chat.reports.outcomes}
      .mentionsMe=${own.mentionsMe}
      @chat-edit-start=${own.onEditStart}
      @chat-message-delete=${(e: Detail<'chat-message-delete'>) => void chat.remove(e.detail.room, e.detail.id)}
      @chat-message-report=${(e: Detail<'chat-message-report'>) =>
        void chat.reports.report(e.detail.room, e.detail.id, e.detail.reason)}
      @chat-history-request=${(e: Detail<'chat-history-request'>) => void chat.loadOlder(e.detail.room)}
      @chat-messages-seen=${(e: Detail<'chat-messages-seen'>) => chat.unread.seen(e.detail.room, e.detail.id)}
      @chat-message-retry=${(e: Detail<'chat-message-retry'>) => void chat.retry(e.detail.clientId)}
      @chat-message-discard=${(e: Detail<'chat-message-discard'>) => chat.outbox.discard(e.detail.clientId)}
    ></chat-message-list>
    <div class="bottom">
      ${room.banned ? bannedNotice(chat, room, s, lang) : nothing}
      <chat-typing-indicator .nicks=${room.typingNow()} .strings=${s}></chat-typing-indicator>
      <chat-composer
        room=${room.name}
        name=${name}
        ?disabled=${room.banned}
        .draft=${room.draft}
        .editing=${room.editing}
        .editText=${room.editing === undefined ? '' : (room.message(room.editing)?.text ?? '')}
        .strings=${s}
        @chat-edit-start=${own.onEditStart}
        @chat-edit-cancel=${(e: Detail<'chat-edit-cancel'>) => chat.edits.start(e.detail.room, null)}
        @chat-message-edit=${(e: Detail<'chat-message-edit'>) => void chat.edit(e.detail.room, e.detail.id, e.detail.text)}
        @chat-message-submit=${(e: Detail<'chat-message-submit'>) => chat.send(e.detail.room, e.detail.text)}
        @chat-draft-change=${(e: Detail<'chat-draft-change'>) => chat.setDraft(e.detail.room, e.detail.text)}
      ></chat-composer>
    </div>`;
}

/**
 * On a banned person's page, above the disabled composer: until when, and a way to try again (the server
 * does not tell a banned nick about an unban; while the ban holds, the join is refused with BANNED).
 */
function bannedNotice(chat: ChatController, room: RoomState, s: Strings, lang: string) {
  const until = room.bans.get(chat.nick ?? '');
  const when = typeof until === 'number' ? localTime(until, lang) : undefined;
  const text = s.moderation.youWereBanned(room.name, when, room.bannedFor);
  return html`<p part="banned" class="banned" role="alert">
    <span>${text}</span>
    <button @click=${() => void chat.moderation.rejoinIfBanned(room.name)}>${s.moderation.joinAgain}</button>
  </p>`;
}

/**
 * Who is in the room in view, with Message next to each (where the element opens conversations); for a
 * moderator, with Ban and Unban. `directError`: why the last Message was refused, in words.
 */
export function memberList({ chat, room, strings: s, lang }: RoomView, directError: string) {
  const refusal = chat.moderation.error;
  const banError = refusal && refusal.room === room?.name ? errorText(s, refusal.error) : '';
  return html`<chat-member-list
    room=${room?.name ?? ''}
    .members=${room?.members ?? []}
    .bans=${[...(room?.bans ?? [])]}
    nick=${chat.nick ?? ''}
    ?moderator=${chat.moderation.isModerator}
    ?messaging=${chat.withConversations && chat.conversations.get(room?.name ?? '')?.kind !== 'direct'}
    error=${directError || banError}
    locale=${lang}
    .strings=${s}
    @chat-member-ban=${(e: Detail<'chat-member-ban'>) =>
      void chat.moderation.ban(e.detail.room, e.detail.nick, e.detail.minutes, e.detail.reason)}
    @chat-member-unban=${(e: Detail<'chat-member-unban'>) => void chat.moderation.unban(e.detail.room, e.detail.nick)}
  ></chat-member-list>`;
}

/** The status dot: a connection the page has stopped reading is not shown as healthy (green). */
export function statusDot(chat: ChatController): ConnectionStatus {
  const { status } = chat.connection;
  return status === 'online' && !chat.connection.reading ? 'connecting' : status;
}

/** What the status line says: the connection, a refused origin or sign-in, or how a reconnect went. */
export function statusLabel(chat: ChatController, s: Strings['status']): string {
  const { status } = chat.connection;
  const note = chat.syncNote;
  if (chat.auth.problem) return chat.auth.problem === 'AUTH_EXPIRED' ? s.authExpired : s.authInvalid;
  if (status === 'refused') return s.refused;
  if (status === 'full') return s.full;
  if (status !== 'online') return status === 'offline' ? s.offline : s.connecting;
  if (!chat.connection.reading) return s.notReading;
  if (note?.kind === 'recovered') return s.recovered;
  if (note?.kind === 'caught-up') return s.caughtUp(note.count);
  return s.online;
}

export function reportList(chat: ChatController, s: Strings, lang: string, shown: boolean) {
  if (!chat.moderation.isModerator || !shown) return nothing;
  return html`<chat-report-list
    id="reports"
    .reports=${chat.reports.open}
    .strings=${s}
    locale=${lang}
  ></chat-report-list>`;
}

/** Why the chat cannot be used here, in place of the conversation: a refused origin or a refused sign-in. */
export function blockedNotice(chat: ChatController, s: Strings['status']) {
  const problem = chat.auth.problem;
  if (problem) {
    const text = problem === 'AUTH_EXPIRED' ? s.authExpiredDetail : s.authInvalidDetail;
    return html`<p part="auth-error" role="alert">${text}</p>`;
  }
  if (chat.connection.status === 'refused') return html`<p part="refused" role="alert">${s.refusedDetail}</p>`;
  if (chat.connection.status === 'full') return html`<p part="session-full" role="alert">${s.fullDetail}</p>`;
  return nothing;
}

export interface SidebarView {
  chat: ChatController;
  strings: Strings;
  /** What `listItems` gives. */
  lists: { rooms: JoinedRoom[]; conversations: ConversationItem[] };
  policy: RoomPolicy;
  /** Shown over the messages on a narrow screen (the Rooms button). */
  open: boolean;
}

/** The column of rooms and conversations, with the room directory and the forms to join and create. */
export function roomSidebar(
  { chat, strings: s, lists, policy, open }: SidebarView,
  errors: { joinError: string; createError: string },
  on: {
    select: (e: Detail<'chat-room-select'>) => void;
    join: (e: Detail<'chat-room-join'>) => void;
    leave: (e: Detail<'chat-room-leave'>) => void;
    create: (e: Detail<'chat-room-create'>) => unknown;
  },
) {
  return html`<aside part="sidebar" id="sidebar" class=${open ? 'open' : ''}>
    <chat-room-list
      .rooms=${lists.rooms}
      .conversations=${lists.conversations}
      .others=${policy.offered(chat.directory.others, new Set(chat.rooms.keys()))}
      .freeJoin=${policy.freeJoin}
      ?private-conversations=${chat.withConversations}
      ?support-inbox=${chat.moderation.isModerator}
      active=${chat.active ?? ''}
      error=${errors.joinError}
      create-error=${errors.createError}
      .strings=${s}
      @chat-room-select=${on.select}
      @chat-room-join=${on.join}
      @chat-room-leave=${on.leave}
      @chat-room-create=${on.create}
      @chat-mark-all-read=${() => chat.unread.markAllRead()}
    ></chat-room-list>
  </aside>`;
}

/** The nickname form over the app: on the first visit, after a refused nick, and for a rename. */
export function nickOverlay(
  chat: ChatController,
  s: Strings,
  on: { submit: (e: Detail<'chat-nick-submit'>) => unknown; cancel: () => void },
) {
  return html`<div class="overlay">
    <chat-nick-form
      nick=${chat.nickError?.nick ?? chat.nick ?? ''}
      ?cancellable=${chat.nick !== undefined}
      error=${nickErrorText(chat, s)}
      .strings=${s}
      @chat-nick-submit=${on.submit}
      @chat-nick-cancel=${on.cancel}
    ></chat-nick-form>
  </div>`;
}

/** The nick form's error in words; `NOT_ALLOWED` there means the server admits only the site's signed-in users. */
function nickErrorText(chat: ChatController, s: Strings): string {
  const error = chat.nickError?.error;
  if (!error) return '';
  return error.code === 'NOT_ALLOWED' ? s.nick.signInRequired : errorText(s, error);
}
