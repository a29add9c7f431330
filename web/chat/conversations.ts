import type { ReactiveControllerHost } from 'lit';
import type { ConversationInfo, Message, ReadState, UnreadCounts } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';
import { emit } from '../events.js';

/** A conversation as the client keeps it: what the server said, plus what arrived while it was not loaded. */
export interface Conversation extends ConversationInfo {
  lastMessage: Message | null;
  /**
   * While its history is not loaded (no RoomState yet): the server's read state (`conversations:list`, `read`,
   * `unread:summary`) plus the messages that arrived since, and how many of them mention you.
   */
  unread: number;
  mentions: number;
  readId: number;
}

/**
 * How a conversation is named in lists and headers: a direct message by the other member (its title is ''), the
 * others by their title (a support conversation's is the visitor's nick).
 * @example conversationName({ room: '_dm-x', kind: 'direct', title: '', members: ['ana', 'bea'] }, 'ana') // 'bea'
 */
export function conversationName(c: ConversationInfo, me: string | undefined): string {
  if (c.kind === 'direct') return c.members.find((m) => m !== me) ?? c.members[0] ?? '';
  return c.title;
}

/** A conversation request that was refused (or not answered): which, in which room ('' before there is one). */
export interface ConversationError {
  action: 'direct' | 'create' | 'support' | 'invite' | 'kick' | 'leave';
  room: string;
  error: ClientError;
}

export interface ConversationDeps {
  socket(): ChatSocket | undefined;
  nick(): string | undefined;
  /** The room's history is loaded (a RoomState in `Rooms`): its unread count is kept there, not here. */
  loaded(room: string): boolean;
  /** The server's mention rule, so counts agree with the server's. */
  mentionsMe(message: Message): boolean;
  /** This person is no longer a member of `room`: it must leave the view. */
  gone(room: string): void;
}

/**
 * The person's private conversations (direct, private, support; docs/protocol.md "Private conversations"), most
 * recent first, and the requests that change them. The list comes from `conversations:list` (after the nick is
 * known, after every reconnect) and is kept current by `conversation`, `conversation:removed` and `message`.
 * A conversation's messages reach this client whether or not it was opened; opening one (`room:join`, in the
 * controller) loads its history into `Rooms`, which then counts its unread like any room's.
 */
export class Conversations {
  private readonly byRoom = new Map<string, Conversation>();
  /** Rooms, most recent activity first (the server's order, then every new message or conversation in front). */
  private order: string[] = [];
  /** Private rooms this person created in this page's life: the UI offers Remove there (the server decides). */
  private readonly created = new Set<string>();
  /** Messages of rooms not known yet (the conversation event may follow, or the list has to be asked again). */
  private readonly early = new Map<string, Message[]>();
  /** Bumped by every change from an event; a list that was asked for before a change does not undo it. */
  private seq = 0;
  private readonly changedAt = new Map<string, number>();
  private refreshing: Promise<void> | undefined;
  /** Rooms this person is leaving: the server's `conversation:removed` comes before the reply, and is no news. */
  private readonly leaving = new Set<string>();
  /** Why the last conversation action was refused. */
  error: ConversationError | undefined;
  /** Someone removed this person from a conversation (its name as shown); cleared when another room is opened. */
  removed: Conversation | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly deps: ConversationDeps,
  ) {}

  get(room: string): Conversation | undefined {
    return this.byRoom.get(room);
  }

  has(room: string): boolean {
    return this.byRoom.has(room);
  }

  /** Every conversation, most recent first. */
  all(): Conversation[] {
    return this.order.flatMap((room) => this.byRoom.get(room) ?? []);
  }

  /** Whether this person created the private room here (so the UI offers Remove). */
  createdHere(room: string): boolean {
    return this.created.has(room);
  }

  /** Unread messages of conversations whose history is not loaded (the loaded ones count in `Rooms`). */
  unread(): { total: number; mentions: number } {
    let total = 0;
    let mentions = 0;
    for (const c of this.byRoom.values()) {
      if (this.deps.loaded(c.room)) continue;
      total += c.unread;
      mentions += c.mentions;
    }
    return { total, mentions };
  }

  // ---- from the server --------------------------------------------------------------------------

  /** `conversations:list`: the whole list again. Conversations gone from it were lost meanwhile (e.g. a kick). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const asked = this.seq;
    const res = await request(this.deps.socket(), 'conversations:list');
    if (!res?.ok) return;
    const listed = new Set(res.conversations.map((c) => c.room));
    for (const room of [...this.byRoom.keys()])
      if (!listed.has(room) && (this.changedAt.get(room) ?? 0) <= asked) this.drop(room, true);
    for (const listing of res.conversations) {
      if ((this.changedAt.get(listing.room) ?? 0) > asked) continue;
      this.upsert(listing, listing.lastMessage);
      this.applyRead(listing);
    }
    const fresh = res.conversations.map((c) => c.room).filter((room) => (this.changedAt.get(room) ?? 0) <= asked);
    this.order = [...this.order.filter((room) => !fresh.includes(room) && this.byRoom.has(room)), ...fresh];
    this.early.clear();
    this.host.requestUpdate();
  }

  /** `conversation`: this person became a member (or opened it); also the replies of dm:open and room:create. */
  apply(info: ConversationInfo): void {
    this.changedAt.set(info.room, ++this.seq);
    this.upsert(info, undefined);
    this.toFront(info.room);
    this.host.requestUpdate();
  }

  /** `conversation:removed`: someone else took this person out (or it left on another device). */
  applyRemoved(room: string): void {
    this.changedAt.set(room, ++this.seq);
    if (this.byRoom.has(room) || this.deps.loaded(room)) this.drop(room, !this.leaving.has(room));
    this.host.requestUpdate();
  }

  /**
   * Every message shown goes through here as well: a conversation's latest message moves it to the front, and
   * one that arrived while it was not loaded counts as unread (the host page hears of it as of any room's).
   * A message of a room not known yet is kept until the conversation is (and the list is asked again).
   */
  receive(message: Message): void {
    const c = this.byRoom.get(message.room);
    const loaded = this.deps.loaded(message.room);
    if (!c) {
      if (loaded) return; // a public room
      this.early.set(message.room, [...(this.early.get(message.room) ?? []), message]);
      void this.refresh();
      return;
    }
    if (!c.lastMessage || message.id > c.lastMessage.id) c.lastMessage = message;
    this.toFront(message.room);
    if (!loaded) this.countUnread(c, message);
    this.host.requestUpdate();
  }

  /** The server's read state of a conversation (`conversations:list`, `read`, a `room:read` reply). */
  applyRead(state: Omit<ReadState, 'room'> & { room: string }): void {
    const c = this.byRoom.get(state.room);
    if (!c || state.readId < c.readId) return;
    Object.assign(c, { readId: state.readId, unread: state.unread, mentions: state.mentions });
    this.host.requestUpdate();
  }

  /** `unread:summary`'s counts of a conversation (it has no marker: the counts are the server's now). */
  applyCounts(room: string, counts: UnreadCounts): void {
    const c = this.byRoom.get(room);
    if (!c) return;
    Object.assign(c, { unread: counts.unread, mentions: counts.mentions });
    this.host.requestUpdate();
  }

  /** "Mark all read" on a conversation not opened here: its latest message; undefined when nothing is unread. */
  readAll(room: string): number | undefined {
    const c = this.byRoom.get(room);
    const last = c?.lastMessage?.id;
    if (!c || c.unread === 0 || last === undefined || last <= c.readId) return undefined;
    Object.assign(c, { readId: last, unread: 0, mentions: 0 });
    this.host.requestUpdate();
    return last;
  }

  // ---- what the person does -----------------------------------------------------------------------

  /** `dm:open`: the direct conversation with `nick` (the same one whoever opens it); its room, or why not. */
  async openDirect(nick: string): Promise<string | undefined> {
    const res = await request(this.deps.socket(), 'dm:open', { nick });
    if (!this.settle('direct', '', res)) return undefined;
    this.apply({ room: res.room, kind: 'direct', title: '', members: res.members });
    return res.room;
  }

  /** `room:create`: a new private room with this title, owned by this person; its room, or why not. */
  async createPrivate(title: string): Promise<string | undefined> {
    const res = await request(this.deps.socket(), 'room:create', { title, private: true });
    if (!this.settle('create', '', res)) return undefined;
    this.created.add(res.room);
    this.apply({ room: res.room, kind: 'private', title: res.title, members: res.members });
    return res.room;
  }

  /** `support:open`: the visitor's one conversation with the team; its room, or why not. */
  async openSupport(): Promise<string | undefined> {
    const res = await request(this.deps.socket(), 'support:open');
    if (!this.settle('support', '', res)) return undefined;
    if (!this.byRoom.has(res.room)) {
      this.apply({ room: res.room, kind: 'support', title: this.deps.nick() ?? '', members: [] });
    }
    return res.room;
  }

  async invite(room: string, nick: string): Promise<boolean> {
    const res = await request(this.deps.socket(), 'room:invite', { room, nick });
    if (!this.settle('invite', room, res)) return false;
    const c = this.byRoom.get(room);
    if (c && !c.members.includes(res.nick)) c.members = [...c.members, res.nick];
    this.host.requestUpdate();
    return true;
  }

  async kick(room: string, nick: string): Promise<boolean> {
    const res = await request(this.deps.socket(), 'room:kick', { room, nick });
    if (!this.settle('kick', room, res)) return false;
    const c = this.byRoom.get(room);
    if (c) c.members = c.members.filter((m) => m !== res.nick);
    this.host.requestUpdate();
    return true;
  }

  /** `conversation:leave`: gives up the membership; the room leaves the view. */
  async leave(room: string): Promise<boolean> {
    this.leaving.add(room);
    const res = await request(this.deps.socket(), 'conversation:leave', { room }).finally(() =>
      this.leaving.delete(room),
    );
    if (!this.settle('leave', room, res)) return false;
    this.changedAt.set(room, ++this.seq);
    this.drop(room, false);
    this.host.requestUpdate();
    return true;
  }

  clearError(): void {
    this.error = undefined;
    this.host.requestUpdate();
  }

  // ---- inside -----------------------------------------------------------------------------------

  private upsert(info: ConversationInfo, lastMessage: Message | null | undefined): void {
    const known = this.byRoom.get(info.room);
    const { room, kind, title, members } = info;
    const c: Conversation = known ?? {
      room,
      kind,
      title,
      members,
      lastMessage: null,
      unread: 0,
      mentions: 0,
      readId: 0,
    };
    Object.assign(c, { kind, title, members: [...members] });
    if (lastMessage !== undefined && (!c.lastMessage || (lastMessage && lastMessage.id > c.lastMessage.id)))
      c.lastMessage = lastMessage;
    this.byRoom.set(room, c);
    // Messages that came before the conversation did are its first unread ones.
    for (const message of this.early.get(room) ?? []) {
      if (!c.lastMessage || message.id > c.lastMessage.id) c.lastMessage = message;
      if (!this.deps.loaded(room)) this.countUnread(c, message);
    }
    this.early.delete(room);
  }

  private countUnread(c: Conversation, message: Message): void {
    if (message.nick === this.deps.nick() || message.id <= c.readId) return;
    c.unread++;
    if (this.deps.mentionsMe(message)) c.mentions++;
    emit(this.host, 'chat-message-received', { message, own: false });
  }

  /** Forgets the conversation; `told`: someone else ended the membership, so the person is told. */
  private drop(room: string, told: boolean): void {
    const c = this.byRoom.get(room);
    this.byRoom.delete(room);
    this.order = this.order.filter((r) => r !== room);
    this.created.delete(room);
    if (told && c) this.removed = c;
    this.deps.gone(room);
  }

  private toFront(room: string): void {
    this.order = [room, ...this.order.filter((r) => r !== room)];
  }

  /** Records a refusal (or no answer) of an action; true, with the reply narrowed, when it succeeded. */
  private settle<T extends object>(
    action: ConversationError['action'],
    room: string,
    res: ({ ok: true } & T) | { ok: false; error: ClientError } | undefined,
  ): res is { ok: true } & T {
    this.error = res?.ok ? undefined : { action, room, error: res?.error ?? NO_ANSWER };
    this.host.requestUpdate();
    return res?.ok === true;
  }
}
