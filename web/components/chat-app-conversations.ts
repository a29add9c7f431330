import { html, nothing } from 'lit';
import type { ChatController } from '../chat/chat-controller.js';
import { type Conversation, type ConversationError, conversationName } from '../chat/conversations.js';
import type { RoomState } from '../chat/room-state.js';
import type { Strings } from '../i18n/strings.js';
import { errorText } from './chat-app-parts.js';
import type { ConversationItem, JoinedRoom } from './chat-room-list.js';

/** Pieces of `<chat-app>`'s template for private conversations (direct, private, support). */

/** A conversation's name as shown: its other member or its title; the visitor's own support one is "Support". */
export function shownName(chat: ChatController, c: Conversation, s: Strings): string {
  if (c.kind === 'support' && (chat.support || c.title === chat.nick)) return s.conversations.supportTitle;
  return conversationName(c, chat.nick);
}

/**
 * The name the message list and the composer use for a room ("Message bea"): '' for a public room (they say
 * `#room`); in a support widget, the team.
 */
export function labelOf(chat: ChatController, room: string, s: Strings): string {
  const c = chat.conversations.get(room);
  if (chat.support) return s.conversations.team;
  return c ? shownName(chat, c, s) : '';
}

/** What the room list shows: public rooms under "Rooms", conversations in their own sections. */
export function listItems(
  chat: ChatController,
  s: Strings,
): { rooms: JoinedRoom[]; conversations: ConversationItem[] } {
  // A public room's name never starts with `_` (server-named conversations do): one being opened before the
  // list knows it stays out of "Rooms".
  const rooms = [...chat.rooms.values()]
    .filter((r) => !chat.conversations.has(r.name) && !r.name.startsWith('_'))
    .map((r) => ({ name: r.name, unread: r.unread, mentions: r.mentions }));
  const conversations = chat.conversations.all().map((c) => {
    const loaded = chat.rooms.get(c.room); // once opened, its RoomState counts the unread
    const preview = previewOf(chat, c, s);
    return {
      room: c.room,
      kind: c.kind,
      name: shownName(chat, c, s),
      unread: loaded?.unread ?? c.unread,
      mentions: loaded?.mentions ?? c.mentions,
      ...(preview ? { preview } : {}),
    };
  });
  return { rooms, conversations };
}

function previewOf(chat: ChatController, c: Conversation, s: Strings): string | undefined {
  const m = c.lastMessage;
  if (!m) return undefined;
  const who = m.nick === chat.nick ? s.log.you : m.nick;
  if (m.deleted) return s.conversations.deletedPreview(who);
  return s.conversations.preview(who, m.text.replace(/\s+/g, ' ').slice(0, 140));
}

/** The header's title: `# room` with how many are here, or a conversation's name and kind. */
export function roomTitle(chat: ChatController, room: RoomState, s: Strings) {
  const c = chat.conversations.get(room.name);
  if (chat.support) return html`${s.conversations.supportTitle}`;
  // A conversation opened before the list has come (a reload in it) gets its name once the list is here.
  if (!c && room.name.startsWith('_')) return nothing;
  if (!c) return html`# ${room.name}<small>${s.rooms.people(room.members.length)}</small>`;
  const kind = s.conversations.kind(c.kind);
  const detail = c.kind === 'private' ? `${kind} · ${s.conversations.members(c.members.length)}` : kind;
  return html`<bdi>${shownName(chat, c, s)}</bdi><small>${detail}</small>`;
}

/** Nicks to complete in a private room's Invite field: everyone in the rooms and conversations you are in. */
function knownNicks(chat: ChatController): string[] {
  const nicks = new Set<string>();
  for (const room of chat.rooms.values()) for (const m of room.members) nicks.add(m);
  for (const c of chat.conversations.all()) for (const m of c.members) nicks.add(m);
  if (chat.nick !== undefined) nicks.delete(chat.nick);
  return [...nicks].sort((a, b) => a.localeCompare(b));
}

/** A refusal of a conversation request, in words; NOT_FOUND and NOT_ALLOWED mean something of their own here. */
export function conversationErrorText(s: Strings, e: ConversationError | undefined): string {
  if (!e) return '';
  if (e.error.code === 'NOT_FOUND' && (e.action === 'direct' || e.action === 'invite')) return s.conversations.notFound;
  if (e.error.code === 'NOT_ALLOWED' && (e.action === 'invite' || e.action === 'kick'))
    return s.conversations.notAllowed;
  return errorText(s, e.error);
}

/** Above a conversation's messages: who can read it; for a private room its members, Invite, Remove, Leave. */
export function conversationBar(chat: ChatController, room: string, s: Strings) {
  const c = chat.conversations.get(room);
  if (!c && !chat.support) return nothing;
  const e = chat.conversations.error;
  const mine = e && e.room === room && ['invite', 'kick', 'leave'].includes(e.action) ? e : undefined;
  return html`<chat-conversation-bar
    room=${room}
    kind=${c?.kind ?? 'support'}
    name=${c ? shownName(chat, c, s) : s.conversations.supportTitle}
    .members=${c?.members ?? []}
    nick=${chat.nick ?? ''}
    ?visitor=${chat.support}
    ?can-remove=${chat.conversations.createdHere(room) || chat.moderation.isModerator}
    .knownNicks=${c?.kind === 'private' ? knownNicks(chat) : []}
    error=${conversationErrorText(s, mine)}
    .strings=${s}
  ></chat-conversation-bar>`;
}

/** "You are no longer a member of …": after someone removed you from the conversation you were in. */
export function removedNotice(chat: ChatController, s: Strings, dismiss: () => void) {
  const c = chat.conversations.removed;
  if (!c) return nothing;
  return html`<p part="removed" role="status">
    <span>${s.conversations.removed(conversationName(c, chat.nick))}</span>
    <button @click=${dismiss}>${s.conversations.dismiss}</button>
  </p>`;
}

/** A support widget before its conversation is open: that it is being opened, or why it could not be. */
export function supportPending(chat: ChatController, s: Strings) {
  const e = chat.conversations.error;
  if (e?.action === 'support') return html`<p part="support-error" role="alert">${errorText(s, e.error)}</p>`;
  return chat.nick === undefined
    ? nothing
    : html`<p class="opening" role="status">${s.conversations.supportOpening}</p>`;
}
