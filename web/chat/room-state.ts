import type { Message, MessageDeleted, MessageUpdated, Presence, PresenceBatch } from '../../server/protocol/events.js';

/** Something that happened in a room that is not a message; rendered from the strings table at render time. */
export type NoticeKind = 'joined' | 'left' | 'renamed' | 'caught-up' | 'banned' | 'unbanned';

export interface Notice {
  kind: NoticeKind;
  key: string;
  /** Shown after the message with this id (0: before all); notices do not move when older messages load. */
  afterId: number;
  ts: number;
  nick?: string;
  to?: string;
  /** For `caught-up`: how many messages the catch-up added. */
  count?: number;
  /** For `banned` and `unbanned`: the moderator. */
  by?: string;
  /** For `banned`: when the ban ends (ms since the epoch); null: no end. */
  until?: number | null;
  /** For `banned`: why, when the moderator said. */
  reason?: string | undefined;
}

export type TimelineItem =
  { kind: 'message'; key: string; message: Message } | { kind: 'notice'; key: string; notice: Notice };

const sortKey = (item: TimelineItem): number => (item.kind === 'message' ? item.message.id : item.notice.afterId + 0.5);

let noticeSeq = 0;

/**
 * One joined room as the client sees it: messages shown once each (deduplicated by id) and in id order,
 * with notices in between.
 */
export class RoomState {
  readonly timeline: TimelineItem[] = [];
  private readonly ids = new Set<number>();
  members: string[] = [];
  /** We were banned from this room while in it: the server took us out (see `Moderation.rejoinIfBanned`). */
  banned = false;
  /** Why we were banned, when the moderator said. */
  bannedFor: string | undefined;
  /** Bans announced while we were here: nick → when it ends (ms since the epoch; null: no end). */
  readonly bans = new Map<string, number | null>();
  /**
   * The person's read marker (docs/protocol.md, "Read state"): the server's, or further on once this page has
   * sent a later `room:read`. It only moves forward.
   */
  readId = 0;
  /** The server's read state has arrived for this room (a join reply, a `read` event): counts start from it. */
  hasReadState = false;
  /** Unread messages: the server's count, plus those received after it, minus those read here since. */
  unread = 0;
  /** Unread messages that mention you (also counted in `unread`). */
  mentions = 0;
  draft = '';
  /** Id of your message being edited in the composer. */
  editing: number | undefined;
  /** nick → when their typing notice expires (ms since the epoch). */
  readonly typing = new Map<string, number>();
  /** How many days the server keeps this room's messages (from the join reply); 0 = forever. */
  retentionDays = 0;
  /** False once `room:history` returned a short page: the room's beginning is loaded. */
  hasOlder = true;
  loadingOlder = false;
  /** Bumped on every change, so views can tell that something changed. */
  version = 0;

  constructor(readonly name: string) {}

  /** Highest message id seen; the `after` of a catch-up. */
  get lastSeenId(): number {
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const item = this.timeline[i]!;
      if (item.kind === 'message') return item.message.id;
    }
    return 0;
  }

  get oldestId(): number | undefined {
    for (const item of this.timeline) if (item.kind === 'message') return item.message.id;
    return undefined;
  }

  get messageCount(): number {
    return this.ids.size;
  }

  /** Adds messages not seen yet, each at its place in id order; returns those that were new. */
  addMessages(messages: readonly Message[]): Message[] {
    const added: Message[] = [];
    for (const message of messages) {
      if (this.ids.has(message.id)) continue;
      this.ids.add(message.id);
      this.insert({ kind: 'message', key: `m${message.id}`, message });
      added.push(message);
    }
    if (added.length > 0) this.version++;
    return added;
  }

  /** An edit (`message:updated`) of a message shown here; false if it is not shown. */
  applyUpdate(update: MessageUpdated): boolean {
    return this.replace(update.id, (m) => ({ ...m, text: update.text, editedAt: update.editedAt }));
  }

  /** A deletion (`message:deleted`): the message stays, as a placeholder without text. */
  applyDelete(deletion: MessageDeleted): boolean {
    if (this.editing === deletion.id) this.editing = undefined;
    return this.replace(deletion.id, ({ id, room, nick, ts }) => ({ id, room, nick, ts, text: '', deleted: true }));
  }

  /**
   * History from the server is the truth about messages already shown: after a reconnect that Socket.IO could
   * not recover, the `room:join` history brings the edits and deletions that happened while we were away.
   */
  replaceKnown(messages: readonly Message[]): void {
    for (const fresh of messages) {
      if (!this.ids.has(fresh.id)) continue;
      this.replace(fresh.id, (shown) =>
        shown.text === fresh.text && shown.editedAt === fresh.editedAt && shown.deleted === fresh.deleted
          ? shown
          : fresh,
      );
    }
  }

  /** Your newest message that can still be edited. */
  lastOwn(nick: string | undefined): Message | undefined {
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const item = this.timeline[i]!;
      if (item.kind === 'message' && item.message.nick === nick && !item.message.deleted) return item.message;
    }
    return undefined;
  }

  message(id: number): Message | undefined {
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const item = this.timeline[i]!;
      if (item.kind === 'message' && item.message.id === id) return item.message;
    }
    return undefined;
  }

  private replace(id: number, change: (m: Message) => Message): boolean {
    const i = this.timeline.findLastIndex((item) => item.kind === 'message' && item.message.id === id);
    const item = this.timeline[i];
    if (item?.kind !== 'message') return false;
    const message = change(item.message);
    if (message === item.message) return true;
    this.timeline[i] = { ...item, message };
    this.version++;
    return true;
  }

  addNotice(notice: Omit<Notice, 'key' | 'afterId' | 'ts'> & { ts?: number }): void {
    const full: Notice = { ts: Date.now(), ...notice, key: `n${++noticeSeq}`, afterId: this.lastSeenId };
    this.insert({ kind: 'notice', key: full.key, notice: full });
    this.version++;
  }

  /** Insertion from the end: new messages almost always belong there. Equal keys keep arrival order. */
  private insert(item: TimelineItem): void {
    const key = sortKey(item);
    let i = this.timeline.length;
    while (i > 0 && sortKey(this.timeline[i - 1]!) > key) i--;
    this.timeline.splice(i, 0, item);
  }

  /** Nicks typing right now; drops expired ones. */
  typingNow(now = Date.now()): string[] {
    for (const [nick, until] of this.typing) if (until <= now) this.typing.delete(nick);
    return [...this.typing.keys()];
  }

  /** A `presence` diff: members change, and others' comings and goings become notices (ours are no news). */
  applyPresence(p: Presence, me: string | undefined): void {
    const sorted = (nicks: string[]) => nicks.sort((a, b) => a.localeCompare(b));
    if (p.joined !== undefined && !this.members.includes(p.joined)) {
      this.members = sorted([...this.members, p.joined]);
      if (p.joined !== me) this.addNotice({ kind: 'joined', nick: p.joined });
    } else if (p.left !== undefined && p.left !== me) {
      this.members = this.members.filter((m) => m !== p.left);
      this.typing.delete(p.left);
      this.addNotice({ kind: 'left', nick: p.left });
    } else if (p.renamed) {
      const { from, to } = p.renamed;
      this.members = sorted(this.members.map((m) => (m === from ? to : m)));
      this.typing.delete(from);
      this.addNotice({ kind: 'renamed', nick: from, to });
    }
  }

  /**
   * A `presence:batch` of a large room, applied in the documented order: left, renamed, joined. Comings and
   * goings in a room that size are not news, so only renames become notices. A `left` about ourselves is a
   * replay of an old departure (we are here), as in applyPresence.
   */
  applyPresenceBatch(batch: PresenceBatch, me: string | undefined): void {
    const members = new Set(this.members);
    for (const nick of batch.left ?? []) {
      if (nick === me) continue;
      members.delete(nick);
      this.typing.delete(nick);
    }
    for (const { from, to } of batch.renamed ?? []) {
      if (!members.delete(from)) continue;
      members.add(to);
      this.typing.delete(from);
      this.addNotice({ kind: 'renamed', nick: from, to });
    }
    for (const nick of batch.joined ?? []) members.add(nick);
    this.members = [...members].sort((a, b) => a.localeCompare(b));
    this.touch();
  }

  /**
   * The server's read state (join reply, `room:read` reply, `read` event), unless this page has already read
   * further: the counts of an older marker would bring back what was read since. False when it was older.
   */
  applyRead(state: { readId: number; unread: number; mentions: number }): boolean {
    if (state.readId < this.readId) return false;
    this.readId = state.readId;
    this.unread = state.unread;
    this.mentions = state.mentions;
    this.hasReadState = true;
    this.touch();
    return true;
  }

  /** Messages shown here with an id in (from, to], oldest first. */
  messagesBetween(from: number, to: number): Message[] {
    return this.timeline.flatMap((item) =>
      item.kind === 'message' && item.message.id > from && item.message.id <= to ? [item.message] : [],
    );
  }

  touch(): void {
    this.version++;
  }
}
