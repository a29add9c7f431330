import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Message } from '../../server/protocol/events.js';
import { ChatConnection, type ChatConnectionOptions, type ChatSocket } from '../connection/chat-connection.js';
import { JwtAuth } from '../connection/jwt-auth.js';
import { serverOrigin } from '../connection/manager.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';
import { Conversations } from './conversations.js';
import { Edits } from './edits.js';
import { Moderation } from './moderation.js';
import { Reports } from './reports.js';
import { Outbox } from './outbox.js';
import { RoomDirectory } from './room-directory.js';
import type { RoomPolicy } from './room-policy.js';
import { RoomState } from './room-state.js';
import { fetchOlder, joinAndCatchUp } from './room-sync.js';
import { Rooms } from './rooms.js';
import { bindServerEvents } from './server-events.js';
import { DEFAULT_ROOM, Resync, type SyncNote } from './resync.js';
import { Session } from './session.js';
import { TypingTracker } from './typing.js';
import { Unread } from './unread.js';

export { DEFAULT_ROOM } from './resync.js';

export interface ChatControllerConfig {
  server: () => string;
  /** The room the page asks for (URL hash, `room`); undefined: the one last in view, else `DEFAULT_ROOM`. */
  firstRoom: () => string | undefined;
  /** The rooms this element may show and join (`lock-room`, `rooms`). */
  policy: () => RoomPolicy;
  /** The host site's signed token ('' for a guest) and its callback for a fresh one. */
  jwt: () => string;
  refreshJwt: () => (() => Promise<string>) | undefined;
  /** A support widget (`<chat-app support>`): only the visitor's conversation with the team, no other room. */
  support?: () => boolean;
  /** Makes the /chat socket; absent (the page's shared Manager) except in tests that play the server. */
  socket?: ChatConnectionOptions['socket'];
}

type Host = ReactiveControllerHost & HTMLElement;

/**
 * The chat client of one `<chat-app>`: it connects, registers the nick, (re)joins the rooms and catches up,
 * and turns what the user does into requests. State lives in its parts: `rooms` (joined rooms, unread),
 * `outbox` (messages until the server has them), `directory` (other rooms), the session (what is remembered).
 */
export class ChatController implements ReactiveController {
  readonly connection: ChatConnection;
  readonly outbox: Outbox;
  readonly directory: RoomDirectory;
  private origin = '';
  private readonly session = new Session();
  private readonly joined: Rooms;
  private readonly typing: TypingTracker;
  private readonly resync: Resync;
  /** Edit and delete your own messages (`start`, `edit`, `remove`; refusals in `errors`). */
  readonly edits: Edits;
  /** The host site's signed identity: the token sent, its refresh, why it was refused. */
  readonly auth: JwtAuth;
  /** Your role, and bans and unbans for moderators. */
  readonly moderation: Moderation;
  /** Your reports of messages; for a moderator, the open reports (listed on sign-in, then kept current). */
  readonly reports: Reports;
  /** Direct messages, private rooms and support conversations: the list, and the requests that change them. */
  readonly conversations: Conversations;
  /** What you have read, everywhere: the counts, "Mark all read", and reads going out and coming in. */
  readonly unread: Unread;

  constructor(
    private readonly host: Host,
    private readonly config: ChatControllerConfig,
  ) {
    this.joined = new Rooms(host, this.session, () => !this.support);
    this.typing = new TypingTracker(
      () => this.joined.byName.values(),
      () => host.requestUpdate(),
    );
    this.auth = new JwtAuth(host, {
      jwt: config.jwt,
      refresh: config.refreshJwt,
      reconnect: () => this.connection.reconnect(),
      // The server ends a signed socket's rights at its token's exp unless it gets a newer token first.
      renewed: (token) => {
        if (this.connection.connected) this.socket?.emit('auth:refresh', token, () => undefined);
      },
    });
    this.connection = new ChatConnection(host, {
      server: () => this.server,
      auth: () =>
        this.auth.signed ? { jwt: this.auth.token } : this.session.token ? { token: this.session.token } : {},
      bind: (socket) =>
        bindServerEvents(socket, {
          rooms: this.joined,
          edits: this.edits,
          moderation: this.moderation,
          reports: this.reports,
          conversations: this.conversations,
          resync: this.resync,
          typing: this.typing,
          nick: () => this.nick,
          receive: (message) => this.receive(message),
          read: (state) => this.unread.apply(state),
          changed: () => host.requestUpdate(),
        }),
      onConnect: (recovered) => {
        if (this.auth.signed) this.auth.accepted();
        void this.resync.connected(recovered);
      },
      onDisconnect: () => this.resync.disconnected(),
      onAuthRefused: (code) => this.auth.refused(code),
      socket: config.socket,
    });
    this.resync = new Resync(host, this.session, this.joined, {
      socket: () => this.socket,
      connected: () => this.connection.connected,
      signed: () => this.auth.signed,
      fallbackRoom: () => (this.support ? this.conversations.openSupport() : config.policy().fallback(DEFAULT_ROOM)),
      synced: () => {
        host.requestUpdate();
        void this.directory.refresh();
        if (this.withConversations && this.nick !== undefined) void this.conversations.refresh();
        void this.unread.refresh();
        void this.outbox.flush();
      },
    });
    this.outbox = new Outbox(this.session, {
      socket: () => (this.ready && this.connection.connected ? this.socket : undefined),
      stored: (message) => this.receive(message),
      changed: () => host.requestUpdate(),
    });
    this.edits = new Edits(host, this.joined, { socket: () => this.socket, nick: () => this.nick });
    this.moderation = new Moderation(host, this.joined, { socket: () => this.socket, nick: () => this.nick });
    this.reports = new Reports(host, { socket: () => this.socket });
    this.conversations = new Conversations(host, {
      socket: () => this.socket,
      nick: () => this.nick,
      loaded: (room) => this.joined.byName.has(room),
      mentionsMe: (message) => this.joined.mentionsMeByRule(message),
      gone: (room) => void this.closeConversation(room),
    });
    this.unread = new Unread(this.joined, this.conversations, {
      socket: () => this.socket,
      changed: () => host.requestUpdate(),
    });
    this.directory = new RoomDirectory(host, () =>
      this.connection.connected && this.nick !== undefined ? this.socket : undefined,
    );
    host.addController(this);
  }

  get server(): string {
    this.origin ||= serverOrigin(this.config.server());
    return this.origin;
  }

  get nick(): string | undefined {
    return this.session.nick;
  }

  /** A support widget: the visitor's one conversation with the team. */
  get support(): boolean {
    return this.config.support?.() ?? false;
  }

  /** The element lists and opens conversations: not a support widget, nor one locked to its room. */
  get withConversations(): boolean {
    return !this.support && !this.config.policy().locked;
  }

  /** Joined rooms by name. */
  get rooms(): ReadonlyMap<string, RoomState> {
    return this.joined.byName;
  }

  get active(): string | undefined {
    return this.joined.active;
  }

  get activeRoom(): RoomState | undefined {
    return this.joined.activeRoom;
  }

  get marker(): { id: number; count: number } | undefined {
    return this.joined.marker;
  }

  /** Nick registered and rooms rejoined on this connection: messages can go out. */
  get ready(): boolean {
    return this.resync.ready;
  }

  get syncNote(): SyncNote {
    return this.resync.syncNote;
  }

  /** Why the server refused the nick last tried, until the form is closed or a nick is accepted. */
  get nickError(): { error: ClientError; nick: string } | undefined {
    return this.resync.nickError;
  }

  clearNickError(): void {
    this.resync.nickError = undefined;
  }

  /** Requests on a socket that is not connected (yet) wait for the connection, up to their timeout. */
  private get socket(): ChatSocket | undefined {
    return this.connection.socket;
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.handlePageHide);
    this.session.open(this.server, this.auth.subject);
    this.outbox.restore();
    if (this.support) return; // its room comes from `support:open` once the nick is known
    const policy = this.config.policy();
    const last = this.session.lastRoom;
    const first = this.config.firstRoom() ?? (last !== undefined && policy.allows(last) ? last : DEFAULT_ROOM);
    this.joined.open(policy.fallback(first), (room) => policy.allows(room));
  }

  /** A closing tab sends the read it was holding back (the socket is still up during `pagehide`). */
  private handlePageHide = () => this.unread.flush();

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.handlePageHide);
    this.typing.stop();
    this.unread.stop();
    this.resync.ready = false;
  }

  // ---- what the user does ---------------------------------------------------------------------------

  /** From the nick form: the first nick also joins the rooms; a later one is a rename. */
  submitNick(nick: string): Promise<void> {
    return this.resync.submitNick(nick);
  }

  /** Joins a room if needed and shows it; resolves the server's refusal, if any. */
  async join(name: string): Promise<ClientError | undefined> {
    if (this.withConversations && this.conversations.has(name)) return this.openConversation(name);
    if (!this.config.policy().allows(name)) return { code: 'NOT_ALLOWED', message: `${name} is not offered here` };
    if (!this.rooms.has(name)) {
      if (!this.socket) return undefined;
      const room = new RoomState(name);
      const result = await joinAndCatchUp(this.socket, room);
      if ('error' in result) return result.error;
      this.joined.add(room);
    }
    this.select(name);
    void this.directory.refresh();
    return undefined;
  }

  /**
   * Shows a conversation, loading its history with `room:join` the first time. Its messages already reach this
   * socket, so its RoomState is in `rooms` before the join: one arriving meanwhile is not lost.
   */
  async openConversation(name: string): Promise<ClientError | undefined> {
    if (!this.rooms.has(name)) {
      if (!this.socket) return NO_ANSWER;
      const room = new RoomState(name);
      this.joined.add(room);
      const result = await joinAndCatchUp(this.socket, room);
      if ('error' in result) {
        this.joined.forget(name);
        return result.error;
      }
    }
    this.select(name);
    return undefined;
  }

  /** `dm:open` with the person holding `nick`, then shows it (a refusal is in `conversations.error`). */
  async openDirect(nick: string): Promise<void> {
    const room = await this.conversations.openDirect(nick);
    if (room !== undefined) await this.openConversation(room);
  }

  /** A new private room with this title, shown at once (a refusal is in `conversations.error`). */
  async createPrivate(title: string): Promise<boolean> {
    const room = await this.conversations.createPrivate(title);
    if (room !== undefined) await this.openConversation(room);
    return room !== undefined;
  }

  /** The membership of a conversation ended (left, removed, gone from the list): out of the view too. */
  private async closeConversation(name: string): Promise<void> {
    if (!this.rooms.has(name)) return;
    this.joined.forget(name);
    this.host.requestUpdate();
    // Nothing left to show (a support widget is never removed from its conversation): the default room.
    if (this.rooms.size === 0 && !this.support) await this.join(this.config.policy().fallback(DEFAULT_ROOM));
  }

  async leave(name: string): Promise<void> {
    if (!this.rooms.has(name)) return;
    this.joined.forget(name);
    this.host.requestUpdate();
    await request(this.socket, 'room:leave', name);
    void this.directory.refresh();
  }

  select(name: string | undefined): void {
    // The notice and a refusal were about the room left.
    if (name !== this.active) [this.conversations.removed, this.conversations.error] = [undefined, undefined];
    this.joined.select(name);
  }

  /** Sends `text` as it is (the composer trimmed it) through the outbox. */
  send(room: string, text: string): void {
    const state = this.rooms.get(room);
    if (!text || !state) return;
    state.draft = '';
    this.typing.sent(room);
    this.outbox.add(room, text);
  }

  /** Sends a refused message again; into a room we were banned from, after joining it again. */
  async retry(clientId: string): Promise<void> {
    const entry = this.outbox.entries.find((e) => e.clientId === clientId);
    if (entry) await this.moderation.rejoinIfBanned(entry.room);
    this.outbox.retry(clientId);
  }

  setDraft(room: string, text: string): void {
    const state = this.rooms.get(room);
    if (!state) return;
    state.draft = text;
    if (text.trim() && this.ready) this.typing.typed(this.socket, room);
  }

  mentionsMe(message: Message): boolean {
    return this.joined.mentionsMe(message);
  }

  /** Changes the text of one of your messages (`message:edit`). */
  edit(room: string, id: number, text: string): Promise<void> {
    return this.edits.edit(room, id, text);
  }

  /** Deletes one of your messages (`message:delete`). */
  remove(room: string, id: number): Promise<void> {
    return this.edits.remove(room, id);
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

  // ---- the connection -------------------------------------------------------------------------------

  /** Every message shown comes through here: broadcasts and the acks of our own sends alike. */
  private receive(message: Message): void {
    if (this.joined.receive(message) && message.nick === this.nick) this.outbox.confirm(message.clientId);
    if (this.withConversations) this.conversations.receive(message);
  }
}
