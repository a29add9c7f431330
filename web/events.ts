import type { Message, NewsItem } from '../server/protocol/events.js';

/**
 * Every DOM event the components fire, with its detail. All bubble and are composed, so a host page can
 * listen on the element or on `document`.
 */
export interface ChatEventMap {
  // For the host page
  'chat-message-received': { message: Message; own: boolean };
  'chat-nick-registered': { nick: string };
  'chat-room-change': { room: string };
  /** The unread count (all rooms and conversations) changed: for a badge outside the element. */
  'chat-unread-change': { unread: number; mentions: number };
  /** `<chat-launcher>`'s panel opened or closed. */
  'chat-launcher-toggle': { open: boolean };
  'news-ticker-item': { item: NewsItem; missed: number };
  // From the parts to their owner (user intent)
  'chat-nick-submit': { nick: string };
  'chat-nick-cancel': Record<string, never>;
  'chat-room-select': { room: string };
  'chat-room-join': { room: string };
  'chat-room-leave': { room: string };
  'chat-message-submit': { room: string; text: string };
  'chat-draft-change': { room: string; text: string };
  'chat-history-request': { room: string };
  /** Messages of `room` up to `id` were visible in a focused page: they are read. */
  'chat-messages-seen': { room: string; id: number };
  /** "Mark all read" in the room list. */
  'chat-mark-all-read': Record<string, never>;
  'chat-message-retry': { clientId: string };
  'chat-message-discard': { clientId: string };
  /** Edit one of your messages in the composer; without `id`, your last one in the room. */
  'chat-edit-start': { room: string; id?: number };
  'chat-edit-cancel': { room: string };
  'chat-message-edit': { room: string; id: number; text: string };
  'chat-message-delete': { room: string; id: number };
  /** Report, with the reason, under someone else's message. */
  'chat-message-report': { room: string; id: number; reason: string };
  /** A moderator's "Open" next to a report: show its room. */
  'chat-report-open': { room: string; id: number };
  /** A moderator's Ban or Unban next to a member. */
  /** `minutes` absent: a ban without end. */
  'chat-member-ban': { room: string; nick: string; minutes?: number; reason?: string };
  'chat-member-unban': { room: string; nick: string };
  /** "New private room" with its title. */
  'chat-room-create': { title: string };
  /** "Message" next to a member: open the direct conversation with them. */
  'chat-direct-open': { nick: string };
  /** A private room's Invite and Remove, and Leave. */
  'chat-member-invite': { room: string; nick: string };
  'chat-member-remove': { room: string; nick: string };
  'chat-conversation-leave': { room: string };
}

type ChatEventName = keyof ChatEventMap;

declare global {
  interface HTMLElementEventMap {
    'chat-message-received': CustomEvent<ChatEventMap['chat-message-received']>;
    'chat-nick-registered': CustomEvent<ChatEventMap['chat-nick-registered']>;
    'chat-room-change': CustomEvent<ChatEventMap['chat-room-change']>;
    'chat-unread-change': CustomEvent<ChatEventMap['chat-unread-change']>;
    'chat-launcher-toggle': CustomEvent<ChatEventMap['chat-launcher-toggle']>;
    'news-ticker-item': CustomEvent<ChatEventMap['news-ticker-item']>;
    'chat-nick-submit': CustomEvent<ChatEventMap['chat-nick-submit']>;
    'chat-nick-cancel': CustomEvent<ChatEventMap['chat-nick-cancel']>;
    'chat-room-select': CustomEvent<ChatEventMap['chat-room-select']>;
    'chat-room-join': CustomEvent<ChatEventMap['chat-room-join']>;
    'chat-room-leave': CustomEvent<ChatEventMap['chat-room-leave']>;
    'chat-message-submit': CustomEvent<ChatEventMap['chat-message-submit']>;
    'chat-draft-change': CustomEvent<ChatEventMap['chat-draft-change']>;
    'chat-history-request': CustomEvent<ChatEventMap['chat-history-request']>;
    'chat-messages-seen': CustomEvent<ChatEventMap['chat-messages-seen']>;
    'chat-mark-all-read': CustomEvent<ChatEventMap['chat-mark-all-read']>;
    'chat-message-retry': CustomEvent<ChatEventMap['chat-message-retry']>;
    'chat-message-discard': CustomEvent<ChatEventMap['chat-message-discard']>;
    'chat-edit-start': CustomEvent<ChatEventMap['chat-edit-start']>;
    'chat-edit-cancel': CustomEvent<ChatEventMap['chat-edit-cancel']>;
    'chat-message-edit': CustomEvent<ChatEventMap['chat-message-edit']>;
    'chat-message-delete': CustomEvent<ChatEventMap['chat-message-delete']>;
    'chat-message-report': CustomEvent<ChatEventMap['chat-message-report']>;
    'chat-report-open': CustomEvent<ChatEventMap['chat-report-open']>;
    'chat-member-ban': CustomEvent<ChatEventMap['chat-member-ban']>;
    'chat-member-unban': CustomEvent<ChatEventMap['chat-member-unban']>;
    'chat-room-create': CustomEvent<ChatEventMap['chat-room-create']>;
    'chat-direct-open': CustomEvent<ChatEventMap['chat-direct-open']>;
    'chat-member-invite': CustomEvent<ChatEventMap['chat-member-invite']>;
    'chat-member-remove': CustomEvent<ChatEventMap['chat-member-remove']>;
    'chat-conversation-leave': CustomEvent<ChatEventMap['chat-conversation-leave']>;
  }
}

/**
 * Dispatches a bubbling, composed CustomEvent (lit.dev events guide).
 * @example emit(this, 'chat-room-select', { room: 'lobby' })
 */
export function emit<K extends ChatEventName>(target: EventTarget, name: K, detail: ChatEventMap[K]): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
