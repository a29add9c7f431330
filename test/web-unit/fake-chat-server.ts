import type {
  ChatServerToClient,
  ErrorBody,
  ErrorCode,
  Identity,
  Message,
  Role,
} from '../../server/protocol/events.js';
import { JOIN_HISTORY_SIZE } from '../../server/protocol/limits.js';
import { FakeConversations } from './fake-conversations.js';
import { FakeReadState } from './fake-read-state.js';
import { FakeServer, type Handlers } from './fake-server.js';

/** A refusal as the contract sends it. */
export const refuse = (code: ErrorCode, message = `refused: ${code}`): { ok: false; error: ErrorBody } => ({
  ok: false,
  error: { code, message },
});

/** The room-name rule of docs/protocol.md, without the look-alike checks (ASCII tests never need them). */
const ROOM_NAME = /^[\p{L}\p{M}\p{Nd}_-]{1,64}$/u;

export interface FakeRoom {
  members: string[];
  messages: Message[];
  bans: Set<string>;
}

/**
 * A small in-memory chat behind the fake socket: one session (this client), the rooms with their members and
 * history, and the default answer to every request, checked in the order docs/protocol.md lists. Others are
 * played with `say`, `editBy`, `deleteBy`, `ban`, `unban` and `emit`.
 */
export class FakeChatServer extends FakeServer {
  /** The session's nick (the server's record, never a payload field), its token and role. */
  nick: string | undefined;
  token: string | undefined;
  role: Role = 'guest';
  /** Nicks other sessions hold: registering one (any case) is NICK_TAKEN. */
  readonly taken = new Set<string>();
  /** Who a handshake with a `jwt` is: announced with `identity`, and `nick:register` is NOT_ALLOWED. */
  signedAs: Identity | undefined;
  readonly rooms = new Map<string, FakeRoom>();
  /** The rooms this connection is in: a new connection that was not recovered is in none. */
  readonly joined = new Set<string>();
  /**
   * Broadcasts held back until `releaseBroadcasts`: in a cluster they reach this socket through the adapter,
   * so an ack can overtake the broadcast it follows.
   */
  holdBroadcasts = false;
  private held: (() => void)[] = [];
  private nextId = 1;
  private tokens = 0;
  /** Direct messages, private rooms and support conversations: this client is in those it is a member of. */
  readonly conversations = new FakeConversations(this);
  /** This person's read markers; `readElsewhere` plays another tab of the same person. */
  readonly reads = new FakeReadState({ nick: () => this.nick, messagesOf: (room) => this.messagesOf(room) });

  protected readonly defaults: Handlers = {
    'nick:register': (nick) => this.register(nick),
    'room:join': (name) => this.join(name),
    'room:leave': (name) => {
      if (!this.nick) return refuse('NICK_REQUIRED');
      if (!this.joined.delete(name)) return refuse('NOT_IN_ROOM');
      this.room(name).members = this.room(name).members.filter((m) => m !== this.nick);
      return { ok: true, room: name };
    },
    'room:history': ({ room, before, after, limit = 50 }) => {
      const all = this.rooms.get(room)?.messages ?? [];
      const messages =
        before !== undefined
          ? all.filter((m) => m.id < before).slice(-limit)
          : after !== undefined
            ? all.filter((m) => m.id > after).slice(0, limit)
            : all.slice(-limit);
      return { ok: true, room, messages };
    },
    'room:members': (room) => ({ ok: true, room, members: [...(this.rooms.get(room)?.members ?? [])] }),
    'rooms:list': () => ({
      ok: true,
      rooms: [...this.rooms]
        .filter(([name, room]) => room.members.length > 0 && !this.conversations.byRoom.has(name)) // public only
        .map(([name, room]) => ({ name, members: room.members.length }))
        .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name)),
    }),
    'message:send': ({ room, text, clientId }) => {
      if (!this.nick) return refuse('NICK_REQUIRED');
      if (this.room(room).bans.has(this.nick)) return refuse('BANNED');
      if (!this.inRoom(room)) return refuse('NOT_IN_ROOM');
      const nick = this.nick;
      const first = this.room(room).messages.find((m) => clientId && m.clientId === clientId && m.nick === nick);
      const message = first ?? this.store(room, nick, text.trim(), clientId); // a repeated clientId is not stored twice
      return { ok: true, id: message.id, ts: message.ts };
    },
    'message:edit': ({ room, id, text }) => {
      const own = this.ownMessage(room, id);
      if ('error' in own) return own;
      if (own.deleted) return refuse('NOT_FOUND');
      return { ok: true, id, editedAt: this.editBy(room, id, text.trim()).editedAt ?? 0 };
    },
    'message:delete': ({ room, id }) => {
      const own = this.ownMessage(room, id);
      if ('error' in own) return own;
      if (!own.deleted) this.deleteBy(room, id);
      return { ok: true, id };
    },
    'room:ban': ({ room, nick, minutes, reason }) => {
      if (!this.nick) return refuse('NICK_REQUIRED');
      if (this.role !== 'moderator') return refuse('NOT_ALLOWED');
      const until = minutes === undefined ? null : Date.now() + minutes * 60_000;
      this.ban(room, nick, { by: this.nick, until, ...(reason ? { reason } : {}) });
      return { ok: true, room, nick, until };
    },
    'room:unban': ({ room, nick }) => {
      if (!this.nick) return refuse('NICK_REQUIRED');
      if (this.role !== 'moderator' || nick === this.nick) return refuse('NOT_ALLOWED');
      this.unban(room, nick, this.nick);
      return { ok: true, room, nick };
    },
    'auth:refresh': () => ({ ok: true, exp: Math.floor(Date.now() / 1000) + 3600 }),
    'room:read': ({ room, id }) =>
      this.messagesOf(room).some((m) => m.id === id) ? { ok: true, ...this.reads.read(room, id) } : refuse('NOT_FOUND'),
    'unread:summary': () => {
      const names = new Set([...this.joined, ...[...this.conversations.byRoom.keys()].filter((r) => this.inRoom(r))]);
      const rooms = [...names].map((room) => ({ room, ...this.reads.counts(room) }));
      const sum = (key: 'unread' | 'mentions') => rooms.reduce((n, r) => n + r[key], 0);
      return { ok: true, unread: sum('unread'), mentions: sum('mentions'), rooms };
    },
    'message:report': ({ room, id }) => {
      if (!this.nick) return refuse('NICK_REQUIRED');
      return this.messagesOf(room).some((m) => m.id === id && !m.deleted) ? { ok: true } : refuse('NOT_FOUND');
    },
    'report:resolve': () => refuse('NOT_ALLOWED'),
    'reports:list': () => refuse('NOT_ALLOWED'),
    ...this.conversations.handlers,
  };

  messagesOf(room: string): readonly Message[] {
    return this.rooms.get(room)?.messages ?? [];
  }

  room(name: string): FakeRoom {
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = { members: [], messages: [], bans: new Set() }));
    return room;
  }

  /** Someone else's message (or ours, sent by another tab): stored, and broadcast if this client is in the room. */
  say(room: string, nick: string, text: string): Message {
    return this.store(room, nick, text);
  }

  /** `count` messages by `nick`, texts `m1`, `m2`, … continuing the room's count. */
  seed(room: string, count: number, nick = 'bea'): Message[] {
    const start = this.room(room).messages.length;
    return Array.from({ length: count }, (_, i) => this.say(room, nick, `m${start + i + 1}`));
  }

  /** Another member is in the room (no presence is sent: the client learns it from the join reply). */
  member(room: string, nick: string): void {
    const state = this.room(room);
    if (!state.members.includes(nick)) state.members = [...state.members, nick].sort((a, b) => a.localeCompare(b));
  }

  editBy(room: string, id: number, text: string): Message {
    const editedAt = Date.now();
    const message = this.replace(room, id, (m) => ({ ...m, text, editedAt }));
    if (this.inRoom(room)) this.toRoom('message:updated', { id, room, text, editedAt });
    return message;
  }

  deleteBy(room: string, id: number): Message {
    const message = this.replace(room, id, ({ nick, ts }) => ({ id, room, nick, ts, text: '', deleted: true }));
    if (this.inRoom(room)) this.toRoom('message:deleted', { id, room });
    return message;
  }

  /** A ban by a moderator (or the admin API): the room and the banned nick's sockets get the notice. */
  ban(room: string, nick: string, ban: { by: string; until?: number | null; reason?: string }): void {
    const state = this.room(room);
    state.bans.add(nick);
    const wasHere = this.joined.has(room);
    if (wasHere && state.members.includes(nick) && nick !== this.nick)
      this.toRoom('presence', { room, left: nick, count: state.members.length - 1 });
    state.members = state.members.filter((m) => m !== nick);
    if (nick === this.nick) this.joined.delete(room);
    const reason = ban.reason === undefined ? {} : { reason: ban.reason };
    if (wasHere) this.toRoom('notice', { room, type: 'ban', nick, by: ban.by, until: ban.until ?? null, ...reason });
  }

  /** A lifted ban: announced to the room only (a banned nick is no longer in it). */
  unban(room: string, nick: string, by: string): void {
    if (this.room(room).bans.delete(nick) && this.joined.has(room))
      this.toRoom('notice', { room, type: 'unban', nick, by });
  }

  /** Another tab or device of this person read `room` up to `id`: this socket gets `read`. */
  readElsewhere(room: string, id: number): void {
    this.emit('read', this.reads.read(room, id));
  }

  /** Delivers the broadcasts held back (see `holdBroadcasts`), in order. */
  releaseBroadcasts(): void {
    this.holdBroadcasts = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  protected accepted(auth: Record<string, unknown>, recovered: boolean): void {
    if (recovered) return;
    this.joined.clear();
    if (this.signedAs && typeof auth.jwt === 'string') {
      this.nick = this.signedAs.nick;
      this.role = this.signedAs.role;
      this.emit('identity', this.signedAs);
    } else if (auth.token === undefined || auth.token !== this.token) this.nick = undefined; // no live session
  }

  private register(nick: string) {
    if (this.signedAs) return refuse('NOT_ALLOWED');
    const wanted = nick.trim();
    if (!wanted || /[\u200b-\u200f]/u.test(wanted)) return refuse('NICK_INVALID');
    if (this.taken.has(wanted.toLowerCase())) return refuse('NICK_TAKEN');
    const from = this.nick;
    this.nick = wanted;
    this.token ??= `token-${++this.tokens}`;
    if (from !== undefined && from !== wanted)
      for (const room of this.joined) {
        const state = this.room(room);
        state.members = state.members.map((m) => (m === from ? wanted : m));
        this.toRoom('presence', { room, renamed: { from, to: wanted }, count: state.members.length });
      }
    return { ok: true as const, nick: wanted, token: this.token };
  }

  private join(name: string) {
    if (!ROOM_NAME.test(name)) return refuse('ROOM_INVALID');
    if (!this.nick) return refuse('NICK_REQUIRED');
    if (this.conversations.byRoom.has(name) && !this.conversations.isMember(name)) return refuse('NOT_FOUND');
    const room = this.room(name);
    if (room.bans.has(this.nick)) return refuse('BANNED');
    this.member(name, this.nick);
    this.joined.add(name);
    if (!this.conversations.byRoom.has(name)) this.reads.start(name);
    return {
      ok: true as const,
      members: [...room.members],
      history: room.messages.slice(-JOIN_HISTORY_SIZE),
      retentionDays: 0,
      ...this.reads.state(name),
    };
  }

  private ownMessage(room: string, id: number): Message | { ok: false; error: ErrorBody } {
    if (!this.nick) return refuse('NICK_REQUIRED');
    if (!this.joined.has(room)) return refuse('NOT_IN_ROOM');
    const message = this.rooms.get(room)?.messages.find((m) => m.id === id);
    if (!message) return refuse('NOT_FOUND');
    if (message.nick !== this.nick && this.role !== 'moderator') return refuse('NOT_ALLOWED');
    return message;
  }

  /** This client's socket gets the room's events: joined, or a member of the conversation. */
  private inRoom(room: string): boolean {
    return this.joined.has(room) || this.conversations.isMember(room);
  }

  /** An event to everyone in a room, this client included when it is there. */
  private toRoom<K extends keyof ChatServerToClient>(event: K, ...args: Parameters<ChatServerToClient[K]>): void {
    if (this.holdBroadcasts) this.held.push(() => this.emit(event, ...args));
    else this.emit(event, ...args);
  }

  private store(room: string, nick: string, text: string, clientId?: string): Message {
    const message: Message = { id: this.nextId++, room, nick, text, ts: Date.now(), ...(clientId ? { clientId } : {}) };
    this.room(room).messages.push(message);
    // The sender too (docs/protocol.md, message:send); a member of a conversation is in it without room:join.
    if (this.inRoom(room)) this.toRoom('message', message);
    return message;
  }

  private replace(room: string, id: number, change: (m: Message) => Message): Message {
    const messages = this.room(room).messages;
    const i = messages.findIndex((m) => m.id === id);
    if (i === -1) throw new Error(`no message ${id} in ${room}`);
    return (messages[i] = change(messages[i]!));
  }
}
