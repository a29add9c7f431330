/**
 * The wire contract: event names and payloads of the /chat and /news namespaces, shared by server and web.
 * Type-only, so the browser bundle can import it. docs/protocol.md describes the same thing in prose.
 */
import type { ErrorCode } from './errors.js';

import type { AuthErrorCode } from './errors.js';
import type { Report, ReportMessage, ResolveReport } from './reports.js';

export type { AuthErrorCode, ConnectErrorCode, ErrorCode } from './errors.js';
export type { Report, ReportAction, ReportMessage, ReportState, ResolveReport } from './reports.js';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Every acknowledged event gets exactly one of these. */
export type Ack<T extends object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type Reply<T extends object> = (res: Ack<T>) => void;

export interface Message {
  /** Positive integer, rising in the order messages were stored (so within a room too). */
  id: number;
  room: string;
  nick: string;
  text: string;
  /** Server time in ms since the epoch. */
  ts: number;
  clientId?: string;
  /** When the text was last changed by `message:edit` (ms since the epoch); absent if never edited. */
  editedAt?: number;
  /** A deleted message keeps its id, room, nick and ts; its text is '' and it has no clientId. */
  deleted?: true;
  /**
   * Present when the author was a signed-in user of the host site (a verified `jwt`), absent for a guest. A
   * guest can never take a signed user's name, but readers should still see which messages are verified.
   */
  signed?: true;
}

export interface EditMessage {
  room: string;
  id: number;
  text: string;
}

export interface DeleteMessage {
  room: string;
  id: number;
}

export interface MessageUpdated {
  id: number;
  room: string;
  text: string;
  editedAt: number;
}

export interface MessageDeleted {
  id: number;
  room: string;
}

export interface SendMessage {
  room: string;
  text: string;
  /** Chosen by the client (e.g. a UUID); a repeat from the same nick is not stored again. */
  clientId?: string;
}

export interface HistoryQuery {
  room: string;
  /** Messages with an id below this one (an older page). */
  before?: number;
  /** Messages with an id above this one (catching up after an outage). */
  after?: number;
  /** 1..100, default 50. */
  limit?: number;
}

export interface Presence {
  room: string;
  joined?: string;
  left?: string;
  renamed?: { from: string; to: string };
  /** Members in the room after this change. */
  count: number;
}

/**
 * Presence of a large room (over PRESENCE_COALESCE_ABOVE members), or of a smaller one during a burst of changes
 * in it (PRESENCE_DELIVERIES_PER_SECOND) or in the whole process (PRESENCE_PROCESS_DELIVERIES_PER_SECOND), at most
 * one a second per room: the net change
 * since the room's previous announcement. Apply `left`, then `renamed`, then `joined`; `count` is authoritative.
 */
export interface PresenceBatch {
  room: string;
  joined?: string[];
  left?: string[];
  renamed?: { from: string; to: string }[];
  /** Members in the room after these changes. */
  count: number;
}

export interface RoomSummary {
  name: string;
  members: number;
}

/**
 * A private conversation (docs/protocol.md, "Private conversations"): `direct` between two people, `private` (a
 * room of invited members, or one granted by the host site's token), `support` (a visitor and the site's team).
 */
export type ConversationKind = 'direct' | 'private' | 'support';

/** Sent to each member's sockets when they become members, and in `conversations:list`. */
export interface ConversationInfo {
  room: string;
  kind: ConversationKind;
  /** The private room's title, the visitor's nick for support, '' for a direct message (show the other member). */
  title: string;
  /** Nicks of the members (for support: the visitor; the team is every moderator). */
  members: string[];
}

/** Unread messages of a room, for the person asking: not its own, not deleted. */
export interface UnreadCounts {
  unread: number;
  /** Those of them that mention the person's nick (`@nick`). */
  mentions: number;
}

/** A person's read state in a room: `room:read`'s reply, the `read` event, and part of `room:join`'s reply. */
export interface ReadState extends UnreadCounts {
  room: string;
  /** The last message the person has read (0: none); only ever moves forward. */
  readId: number;
}

export interface UnreadSummary extends UnreadCounts {
  rooms: (UnreadCounts & { room: string })[];
}

export interface ConversationListing extends ConversationInfo, UnreadCounts {
  /** The latest message; null when there is none yet. */
  lastMessage: Message | null;
  readId: number;
}

export interface DirectOpened {
  room: string;
  kind: 'direct';
  members: string[];
}

export interface PrivateRoomCreated {
  room: string;
  kind: 'private';
  title: string;
  members: string[];
}

export interface CreateRoom {
  title: string;
  private: true;
}

export interface RoomMemberChange {
  room: string;
  nick: string;
}

export interface RoomJoined extends ReadState {
  members: string[];
  history: Message[];
  /** How many days the room keeps messages (RETENTION_DAYS or the room's override); 0 = forever. */
  retentionDays: number;
}

export interface ChatClientToServer {
  'nick:register': (nick: string, reply: Reply<{ nick: string; token: string }>) => void;
  'room:join': (room: string, reply: Reply<RoomJoined>) => void;
  'room:leave': (room: string, reply: Reply<{ room: string }>) => void;
  'room:history': (query: HistoryQuery, reply: Reply<{ room: string; messages: Message[] }>) => void;
  'room:members': (room: string, reply: Reply<{ room: string; members: string[] }>) => void;
  'rooms:list': (reply: Reply<{ rooms: RoomSummary[] }>) => void;
  'message:send': (message: SendMessage, reply: Reply<{ id: number; ts: number }>) => void;
  'message:edit': (edit: EditMessage, reply: Reply<{ id: number; editedAt: number }>) => void;
  'message:delete': (target: DeleteMessage, reply: Reply<{ id: number }>) => void;
  typing: (payload: { room: string }) => void;
  /** Moderators only. `until`: ms since the epoch, or null for a ban without end (no `minutes`). */
  'room:ban': (ban: RoomBan, reply: Reply<{ room: string; nick: string; until: number | null }>) => void;
  'room:unban': (target: RoomUnban, reply: Reply<{ room: string; nick: string }>) => void;
  /** A signed socket's newer token of the same user, before the current one's `exp`; `exp` is the new one's. */
  'auth:refresh': (jwt: string, reply: Reply<{ exp: number }>) => void;
  /** The direct conversation with the person holding `nick`: the same room whoever opens it, on any node. */
  'dm:open': (target: { nick: string }, reply: Reply<DirectOpened>) => void;
  /** A new private room; the server chooses its name, which cannot be guessed. */
  'room:create': (room: CreateRoom, reply: Reply<PrivateRoomCreated>) => void;
  /** The owner or a moderator adds a person to a private room. */
  'room:invite': (invite: RoomMemberChange, reply: Reply<RoomMemberChange>) => void;
  /** The owner or a moderator removes a person from a private room, on every node, before this reply. */
  'room:kick': (kick: RoomMemberChange, reply: Reply<RoomMemberChange>) => void;
  /** Gives up membership of a private room. */
  'conversation:leave': (target: { room: string }, reply: Reply<{ room: string }>) => void;
  /** The caller's conversations (a moderator's include every support conversation), most recent first. */
  'conversations:list': (reply: Reply<{ conversations: ConversationListing[] }>) => void;
  /** The visitor's one support conversation with the site's team (the same one on every call). */
  'support:open': (reply: Reply<{ room: string; kind: 'support' }>) => void;
  /** The person has read `room` up to message `id`: its other sockets, on every node, get `read`. */
  'room:read': (read: { room: string; id: number }, reply: Reply<ReadState>) => void;
  /** Unread counts over the rooms the person is in (its joined public rooms and its conversations). */
  'unread:summary': (reply: Reply<UnreadSummary>) => void;
  /** Reports a message of a room the socket hears to the moderators; once per person and message. */
  'message:report': (report: ReportMessage, reply: Reply<Record<never, never>>) => void;
  /** Moderators only: resolves an open report, as `POST /api/admin/reports/:id/resolve` does. */
  'report:resolve': (resolution: ResolveReport & { id: number }, reply: Reply<{ report: Report }>) => void;
  /** Moderators only: the open reports, newest first, at most REPORTS_PAGE_MAX (as the admin API lists them). */
  'reports:list': (reply: Reply<{ reports: Report[] }>) => void;
}

export interface ChatServerToClient {
  message: (message: Message) => void;
  'message:updated': (update: MessageUpdated) => void;
  'message:deleted': (deletion: MessageDeleted) => void;
  presence: (presence: Presence) => void;
  'presence:batch': (batch: PresenceBatch) => void;
  typing: (payload: { room: string; nick: string }) => void;
  /** Who this socket is: sent to a signed socket on connect, and to a guest the server renamed. */
  identity: (identity: Identity) => void;
  /** A moderation action in a room, to everyone in it (and to the banned nick's sockets). */
  notice: (notice: Notice) => void;
  /** A signed socket's token expired (or a recovered connection's was refused): /chat is disconnected next. */
  'auth:expired': (reason: { code: AuthErrorCode; message: string }) => void;
  /** This person became a member of a conversation (or opened one): its sockets are in the room already. */
  conversation: (conversation: ConversationInfo) => void;
  /** This person is no longer a member: nothing of the room reaches its sockets any more. */
  'conversation:removed': (removal: { room: string }) => void;
  /** Another socket of this person (a tab, a device) read a room: its new read state. */
  read: (state: ReadState) => void;
  /** To moderators: a report was made (`state: 'open'`), or resolved (its new state). */
  report: (report: Report) => void;
}

/**
 * What the handshake may carry in `auth`: `jwt`, a token signed by the host site's backend (signed identity), or
 * `token`, the session token from an earlier `nick:register` reply (ignored when `jwt` is given).
 */
export interface ChatAuth {
  jwt?: string;
  token?: string;
}

export type Role = 'guest' | 'user' | 'moderator';

export interface Identity {
  nick: string;
  role: Role;
}

export interface RoomBan {
  room: string;
  nick: string;
  /** Positive; absent = no end. */
  minutes?: number;
  /** Why: at most 200 characters, shown to the room and the banned person and stored with the ban. */
  reason?: string;
}

export interface RoomUnban {
  room: string;
  nick: string;
}

export interface Notice {
  room: string;
  type: 'ban' | 'unban';
  nick: string;
  /** The moderator's nick, or `admin` for the HTTP admin API. */
  by: string;
  /** `ban` only: when it ends (ms since the epoch), or null for no end. */
  until?: number | null;
  /** `ban` only, when the moderator gave one. */
  reason?: string;
}

/**
 * The server's record of a /chat socket: which session it belongs to. The nick is the session's (never a
 * payload field), so every socket of the session sees a rename at once.
 */
export interface ChatSocketData {
  sessionToken?: string;
  /** Set by the handshake of a signed socket (a valid `jwt`); kept through connection state recovery. */
  signed?: SignedIdentity;
}

/** The claims of a verified `jwt`, as the server keeps them. */
export interface SignedIdentity {
  sub: string;
  /** The `name` claim, checked like a `nick:register` nick. */
  name: string;
  role: 'user' | 'moderator';
  /** The token's `exp` (seconds since the epoch): the socket's rights end then (see `auth:expired`). */
  exp: number;
  /** The `rooms` claim: private rooms the host site makes this user a member of while a token says so. */
  rooms?: string[];
}

export interface NewsItem {
  topic: string;
  /** Rises by 1 per topic; a jump means items were dropped for this client. */
  seq: number;
  headline: string;
  ts: number;
}

/**
 * How a subscriber gets items: `flow-controlled` (the default) leaves it out only while it cannot keep up;
 * `volatile` uses Socket.IO's own volatile flag, which drops an item whenever the transport is mid-write.
 */
export type NewsDelivery = 'flow-controlled' | 'volatile';
export interface NewsSubscription {
  topic: string;
  delivery?: NewsDelivery;
}

export interface NewsClientToServer {
  'news:topics': (reply: Reply<{ topics: string[] }>) => void;
  /** A topic name, or `{ topic, delivery }`; the object form's reply names the delivery. */
  'news:subscribe': (
    subscription: string | NewsSubscription,
    reply: Reply<{ topic: string; delivery?: NewsDelivery }>,
  ) => void;
  'news:unsubscribe': (topic: string, reply: Reply<{ topic: string }>) => void;
}

export interface NewsServerToClient {
  news: (item: NewsItem) => void;
}
