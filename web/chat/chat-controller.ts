import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorBody, Message, Presence, RoomSummary } from '../../server/protocol/events.js';
import { MAX_HISTORY_PAGE, TYPING_TTL_MS } from '../../server/protocol/limits.js';
import { ACK_TIMEOUT_MS, ChatConnection, type ChatSocket } from '../connection/chat-connection.js';
import { serverOrigin } from '../connection/manager.js';
import { emit } from '../events.js';
import { Outbox, type OutboxEntry, type SendOutcome } from './outbox.js';
import { RoomState } from './room-state.js';
import { loadSession, saveSession, type StoredSession } from './session-store.js';

export const DEFAULT_ROOM = 'lobby';
const OLDER_PAGE = 50;
const ROOMS_REFRESH_MS = 5_000;

/** What the status line says after a reconnect. */
export type SyncNote = { kind: 'recovered' } | { kind: 'caught-up'; count: number } | undefined;

type Host = ReactiveControllerHost & HTMLElement;

/**
 * The chat client's state and protocol flows for one `<chat-app>`: nick, joined rooms, messages, presence,
 * typing and the outbox. The element renders it; the element's children report intent to it via the element.
 */
export class ChatController implements ReactiveController {
  readonly connection: ChatConnection;
  readonly rooms = new Map<string, RoomState>();
  readonly outbox: Outbox;
  session: StoredSession = {};
  nickError: { error: ErrorBody; nick: string } | undefined;
  active: string | undefined;
  /** First unread message of the active room when it was entered, and how many there were. */
  marker: { id: number; count: number } | undefined;
  others: RoomSummary[] = [];
  syncNote: SyncNote;
  /** Nick registered and rooms rejoined on this connection. */
  ready = false;
  private origin = '';
  private readonly typingSentAt = new Map<string, number>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private roomsTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: Host,
    private readonly config: { server: () => string; initialRooms: () => string[] },
  ) {
    this.connection = new ChatConnection(host, {
      server: () => this.server,
      auth: () => (this.session.token ? { token: this.session.token } : {}),
      bind: (socket) => this.bind(socket),
      onConnect: (recovered) => void this.handleConnect(recovered),
      onDisconnect: () => this.handleDisconnect(),
    });
    this.outbox = new Outbox({
      ready: () => this.ready && this.connection.connected,
      send: (entry) => this.sendOnce(entry),
      stored: (entry, id, ts) => this.handleStored(entry, id, ts),
      changed: () => this.host.requestUpdate(),
    });
    host.addController(this);
  }

  get server(): string {
    this.origin ||= serverOrigin(this.config.server());
    return this.origin;
  }

  get nick(): string | undefined {
    return this.session.nick;
  }

  get activeRoom(): RoomState | undefined {
    return this.active === undefined ? undefined : this.rooms.get(this.active);
  }

  private get socket(): ChatSocket | undefined {
    return this.connection.socket;
  }

  hostConnected(): void {
    this.session = loadSession(this.server);
    const wanted = [...new Set([...this.config.initialRooms(), ...(this.session.rooms ?? [])])];
    for (const name of wanted) this.rooms.set(name, new RoomState(name));
    this.active = this.config.initialRooms()[0] ?? wanted[0];
    this.roomsTimer = setInterval(() => void this.refreshRooms(), ROOMS_REFRESH_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.roomsTimer);
    clearTimeout(this.typingTimer);
    this.ready = false;
  }

  private bind(socket: ChatSocket): void {
    socket.on('message', (message) => this.handleMessage(message));
    socket.on('presence', (presence) => this.handlePresence(presence));
    socket.on('typing', ({ room, nick }) => {
      const state = this.rooms.get(room);
      if (!state || nick === this.nick) return;
      state.typing.set(nick, Date.now() + TYPING_TTL_MS);
      state.touch();
      this.scheduleTypingExpiry();
      this.host.requestUpdate();
    });
  }

  // ---- connection lifecycle -------------------------------------------------------------------------

  private async handleConnect(recovered: boolean): Promise<void> {
    const wasReconnect = [...this.rooms.values()].some((room) => room.messageCount > 0);
    if (recovered && this.nick) {
      this.syncNote = { kind: 'recovered' };
      this.ready = true;
      void this.refreshMembers(); // the replayed presence may include our own "left"
    } else if (this.nick) {
      if (!(await this.register(this.nick))) return;
      const missed = await this.rejoinAll(wasReconnect);
      this.syncNote = wasReconnect ? { kind: 'caught-up', count: missed } : undefined;
    }
    this.host.requestUpdate();
    void this.refreshRooms();
    void this.outbox.flush();
  }

  private handleDisconnect(): void {
    this.ready = false;
    this.syncNote = undefined;
    for (const room of this.rooms.values()) {
      room.typing.clear();
      room.touch();
    }
  }

  /** Joins every room again (a new connection is in none) and fetches what was missed after the last id seen. */
  private async rejoinAll(announce: boolean): Promise<number> {
    let missed = 0;
    for (const room of [...this.rooms.values()]) missed += await this.joinAndCatchUp(room, announce);
    if (this.nick) this.ready = true;
    return missed;
  }

  private async joinAndCatchUp(room: RoomState, announce: boolean): Promise<number> {
    const after = room.lastSeenId;
    const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:join', room.name));
    if (!res?.ok) return 0;
    room.members = res.members;
    if (after === 0) {
      room.addMessages(res.history);
      room.hasOlder = res.history.length > 0 && res.history.length >= OLDER_PAGE;
      return 0;
    }
    let added = 0;
    for (let cursor = after; ; ) {
      const page = await this.call(
        this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:history', { room: room.name, after: cursor, limit: MAX_HISTORY_PAGE }),
      );
      if (!page?.ok) break;
      added += room.addMessages(page.messages).length;
      const last = page.messages.at(-1);
      if (page.messages.length < MAX_HISTORY_PAGE || !last) break;
      cursor = last.id;
    }
    if (announce) room.addNotice({ kind: 'caught-up', count: added });
    this.countUnread(room, added);
    return added;
  }

  /** Resolves undefined instead of throwing when the ack timed out or the socket went away. */
  private async call<T>(pending: Promise<T> | undefined): Promise<T | undefined> {
    try {
      return await pending;
    } catch {
      return undefined;
    }
  }

  // ---- user intent ----------------------------------------------------------------------------------

  /** From the nick form: the first nick also joins the rooms; a later one is a rename. */
  async submitNick(nick: string): Promise<void> {
    if (!(await this.register(nick)) || this.ready) return;
    await this.rejoinAll(false);
    this.host.requestUpdate();
    void this.refreshRooms();
    void this.outbox.flush();
  }

  private async register(nick: string): Promise<boolean> {
    const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('nick:register', nick));
    if (!res) return false;
    if (!res.ok) {
      this.nickError = { error: res.error, nick };
      if (res.error.code === 'NICK_TAKEN' || res.error.code === 'NICK_INVALID') this.persist({ nick: undefined });
      this.host.requestUpdate();
      return false;
    }
    this.nickError = undefined;
    this.persist({ nick: res.nick, token: res.token });
    emit(this.host, 'chat-nick-registered', { nick: res.nick });
    this.host.requestUpdate();
    return true;
  }

  async join(name: string): Promise<ErrorBody | undefined> {
    let room = this.rooms.get(name);
    if (!room) {
      const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:join', name));
      if (!res) return { code: 'INTERNAL', message: 'no answer' };
      if (!res.ok) return res.error;
      room = new RoomState(res.room);
      room.members = res.members;
      room.addMessages(res.history);
      room.hasOlder = res.history.length >= OLDER_PAGE;
      this.rooms.set(res.room, room);
      this.persistRooms();
    }
    this.select(room.name);
    void this.refreshRooms();
    return undefined;
  }

  async leave(name: string): Promise<void> {
    if (!this.rooms.has(name)) return;
    this.rooms.delete(name);
    this.persistRooms();
    if (this.active === name) this.select([...this.rooms.keys()][0]);
    this.host.requestUpdate();
    await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:leave', name));
    void this.refreshRooms();
  }

  select(name: string | undefined): void {
    if (name === this.active && name !== undefined) return;
    this.active = name;
    this.markActiveRead();
    emit(this.host, 'chat-room-change', { room: name ?? '' });
  }

  /** Entering a room (or coming back to the tab) reads it: its unread count becomes the marker. */
  markActiveRead(): void {
    const room = this.activeRoom;
    this.marker = room?.firstUnreadId !== undefined ? { id: room.firstUnreadId, count: room.unread } : undefined;
    if (room) {
      room.unread = 0;
      room.firstUnreadId = undefined;
      room.touch();
    }
    this.host.requestUpdate();
  }

  send(room: string, text: string): void {
    const trimmed = text.trim();
    const state = this.rooms.get(room);
    if (!trimmed || !state) return;
    state.draft = '';
    this.typingSentAt.delete(room);
    this.outbox.add(room, trimmed);
  }

  setDraft(room: string, text: string): void {
    const state = this.rooms.get(room);
    if (!state) return;
    state.draft = text;
    const now = Date.now();
    // Throttled: one notice per half TTL keeps the others' indicator alive without flooding the room.
    if (text.trim() && this.ready && now - (this.typingSentAt.get(room) ?? 0) > TYPING_TTL_MS / 2) {
      this.typingSentAt.set(room, now);
      this.socket?.volatile.emit('typing', { room });
    }
  }

  async loadOlder(name: string): Promise<void> {
    const room = this.rooms.get(name);
    const before = room?.oldestId;
    if (!room || room.loadingOlder || !room.hasOlder || before === undefined || !this.ready) return;
    room.loadingOlder = true;
    this.host.requestUpdate();
    const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:history', { room: name, before, limit: OLDER_PAGE }));
    room.loadingOlder = false;
    if (res?.ok) {
      room.addMessages(res.messages);
      room.hasOlder = res.messages.length >= OLDER_PAGE;
    }
    room.touch();
    this.host.requestUpdate();
  }

  private async refreshMembers(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:members', room.name));
      if (res?.ok) room.members = res.members;
    }
    this.host.requestUpdate();
  }

  async refreshRooms(): Promise<void> {
    if (!this.connection.connected || !this.nick) return;
    const res = await this.call(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('rooms:list'));
    if (!res?.ok) return;
    this.others = res.rooms;
    this.host.requestUpdate();
  }

  // ---- server events --------------------------------------------------------------------------------

  private handleMessage(message: Message): void {
    const room = this.rooms.get(message.room);
    if (!room) return;
    const [added] = room.addMessages([message]);
    if (!added) return;
    if (message.nick === this.nick) this.outbox.confirm(message.clientId);
    if (room.typing.delete(message.nick)) room.touch();
    this.countUnread(room, 1, message);
    emit(this.host, 'chat-message-received', { message, own: message.nick === this.nick });
    this.host.requestUpdate();
  }

  private countUnread(room: RoomState, count: number, message?: Message): void {
    if (count === 0 || message?.nick === this.nick) return;
    const inView = room.name === this.active && document.visibilityState === 'visible';
    if (inView) return;
    room.unread += count;
    room.firstUnreadId ??= message?.id ?? room.lastSeenId;
    room.touch();
  }

  private handlePresence(p: Presence): void {
    const room = this.rooms.get(p.room);
    if (!room) return;
    if (p.joined !== undefined && !room.members.includes(p.joined)) {
      room.members = [...room.members, p.joined].sort((a, b) => a.localeCompare(b));
      if (p.joined !== this.nick) room.addNotice({ kind: 'joined', nick: p.joined });
    } else if (p.left !== undefined && p.left !== this.nick) {
      room.members = room.members.filter((m) => m !== p.left);
      room.typing.delete(p.left);
      room.addNotice({ kind: 'left', nick: p.left });
    } else if (p.renamed) {
      const { from, to } = p.renamed;
      room.members = room.members.map((m) => (m === from ? to : m)).sort((a, b) => a.localeCompare(b));
      room.typing.delete(from);
      room.addNotice({ kind: 'renamed', nick: from, to });
    }
    this.host.requestUpdate();
  }

  private scheduleTypingExpiry(): void {
    clearTimeout(this.typingTimer);
    let next = Infinity;
    for (const room of this.rooms.values()) for (const until of room.typing.values()) next = Math.min(next, until);
    if (next === Infinity) return;
    this.typingTimer = setTimeout(() => {
      for (const room of this.rooms.values()) if (room.typing.size !== room.typingNow().length) room.touch();
      this.host.requestUpdate();
      this.scheduleTypingExpiry();
    }, Math.max(50, next - Date.now() + 20));
  }

  // ---- outbox transport ------------------------------------------------------------------------------

  private async sendOnce(entry: OutboxEntry): Promise<SendOutcome> {
    const socket = this.socket;
    if (!socket?.connected) return { kind: 'offline' };
    try {
      const res = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('message:send', { room: entry.room, text: entry.text, clientId: entry.clientId });
      return res.ok ? { kind: 'stored', id: res.id, ts: res.ts } : { kind: 'rejected', error: res.error };
    } catch {
      return socket.connected ? { kind: 'no-answer' } : { kind: 'offline' };
    }
  }

  /** The ack is enough to show the message even if its broadcast was lost; the id dedupes. */
  private handleStored(entry: OutboxEntry, id: number, ts: number): void {
    const nick = this.nick;
    const room = this.rooms.get(entry.room);
    if (!room || nick === undefined) return;
    room.addMessages([{ id, ts, room: entry.room, nick, text: entry.text, clientId: entry.clientId }]);
  }

  // ---- storage ---------------------------------------------------------------------------------------

  private persist(change: Partial<StoredSession>): void {
    this.session = { ...this.session, ...change };
    if (change.nick === undefined && 'nick' in change) delete this.session.nick;
    saveSession(this.server, this.session);
  }

  private persistRooms(): void {
    this.persist({ rooms: [...this.rooms.keys()] });
  }
}
