import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorBody, Message, Presence, RoomSummary } from '../../server/protocol/events.js';
import { ACK_TIMEOUT_MS, ChatConnection, type ChatSocket } from '../connection/chat-connection.js';
import { serverOrigin } from '../connection/manager.js';
import { emit } from '../events.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { RoomState } from './room-state.js';
import { ask, fetchOlder, joinAndCatchUp, sendOnce } from './room-sync.js';
import { TypingTracker } from './typing.js';
import { loadSession, saveSession, type StoredSession } from './session-store.js';

export const DEFAULT_ROOM = 'lobby';
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
  /** Counts connections, so the work of an earlier one can tell it is stale. */
  private epoch = 0;
  private origin = '';
  private readonly typing = new TypingTracker(
    () => this.rooms.values(),
    () => this.host.requestUpdate(),
  );
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
      send: (entry) => sendOnce(this.socket, entry),
      stored: (entry, id, ts) => this.handleStored(entry, id, ts),
      changed: () => {
        this.persist({ outbox: this.outbox.entries.map(({ clientId, room, text }) => ({ clientId, room, text })) });
        this.host.requestUpdate();
      },
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
    this.outbox.restore(this.session.outbox ?? []);
    const wanted = [...new Set([...this.config.initialRooms(), ...(this.session.rooms ?? [])])];
    for (const name of wanted) this.rooms.set(name, new RoomState(name));
    this.active = this.config.initialRooms()[0] ?? wanted[0];
    this.roomsTimer = setInterval(() => void this.refreshRooms(), ROOMS_REFRESH_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.roomsTimer);
    this.typing.stop();
    this.ready = false;
  }

  private bind(socket: ChatSocket): void {
    socket.on('message', (message) => this.handleMessage(message));
    socket.on('presence', (presence) => this.handlePresence(presence));
    socket.on('typing', ({ room, nick }) => {
      const state = this.rooms.get(room);
      if (!state || nick === this.nick) return;
      this.typing.received(state, nick);
      this.host.requestUpdate();
    });
  }

  // ---- connection lifecycle -------------------------------------------------------------------------

  private async handleConnect(recovered: boolean): Promise<void> {
    const epoch = ++this.epoch;
    const wasReconnect = [...this.rooms.values()].some((room) => room.messageCount > 0);
    if (recovered && this.nick) {
      this.syncNote = { kind: 'recovered' };
      this.ready = true;
      void this.refreshMembers(); // the replayed presence may include our own "left"
    } else if (this.nick) {
      if (!(await this.register(this.nick)) || epoch !== this.epoch) return;
      const missed = await this.rejoinAll(wasReconnect, epoch);
      if (epoch !== this.epoch) return;
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
  private async rejoinAll(announce: boolean, epoch = this.epoch): Promise<number> {
    let missed = 0;
    for (const room of [...this.rooms.values()]) {
      if (!this.socket) break;
      const result = await joinAndCatchUp(this.socket, room);
      if ('error' in result && result.error.code === 'ROOM_INVALID') this.forget(room.name); // e.g. a bad URL hash
      if (!('added' in result) || room.messageCount === result.added) continue; // failed, or a first join
      if (announce) room.addNotice({ kind: 'caught-up', count: result.added });
      this.countUnread(room, result.added);
      missed += result.added;
    }
    // A rejoin that a newer connection overtook must not declare that one ready before its own rejoin.
    if (this.nick && epoch === this.epoch && this.connection.connected) this.ready = true;
    if (this.rooms.size === 0 && this.socket) await this.join(DEFAULT_ROOM);
    return missed;
  }

  private forget(name: string): void {
    this.rooms.delete(name);
    this.persistRooms();
    if (this.active === name) this.select([...this.rooms.keys()][0]);
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
    const res = await ask(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('nick:register', nick));
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
    if (!this.rooms.has(name)) {
      if (!this.socket) return undefined;
      const room = new RoomState(name);
      const result = await joinAndCatchUp(this.socket, room);
      if ('error' in result) return result.error;
      this.rooms.set(name, room);
      this.persistRooms();
    }
    this.select(name);
    void this.refreshRooms();
    return undefined;
  }

  async leave(name: string): Promise<void> {
    if (!this.rooms.has(name)) return;
    this.forget(name);
    this.host.requestUpdate();
    await ask(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:leave', name));
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
    this.typing.sent(room);
    this.outbox.add(room, trimmed);
  }

  setDraft(room: string, text: string): void {
    const state = this.rooms.get(room);
    if (!state) return;
    state.draft = text;
    if (text.trim() && this.ready && this.typing.shouldSend(room)) this.socket?.volatile.emit('typing', { room });
  }

  async loadOlder(name: string): Promise<void> {
    const room = this.rooms.get(name);
    if (!room || room.loadingOlder || !room.hasOlder || !this.ready || !this.socket) return;
    room.loadingOlder = true;
    this.host.requestUpdate();
    await fetchOlder(this.socket, room);
    room.loadingOlder = false;
    room.touch();
    this.host.requestUpdate();
  }

  private async refreshMembers(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      const res = await ask(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('room:members', room.name));
      if (res?.ok) room.members = res.members;
    }
    this.host.requestUpdate();
  }

  async refreshRooms(): Promise<void> {
    if (!this.connection.connected || !this.nick) return;
    const res = await ask(this.socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('rooms:list'));
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
    this.rooms.get(p.room)?.applyPresence(p, this.nick);
    this.host.requestUpdate();
  }

  // ---- outbox transport ------------------------------------------------------------------------------

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
