import type { FakeReadState } from './fake-read-state.js';
import type {
  ChatServerToClient,
  ConversationInfo,
  ConversationKind,
  ConversationListing,
  ErrorBody,
  ErrorCode,
  Message,
  Role,
} from '../../server/protocol/events.js';
import type { Handlers } from './fake-server.js';

/** What the conversations of the fake need from the fake chat server around them. */
export interface ConversationHost {
  readonly nick: string | undefined;
  readonly role: Role;
  /** Nicks other sessions hold (lower case): a direct message can be opened with them. */
  readonly taken: ReadonlySet<string>;
  messagesOf(room: string): readonly Message[];
  /** The person's read markers: `conversations:list` carries each conversation's state. */
  readonly reads: FakeReadState;
  emit<K extends keyof ChatServerToClient>(event: K, ...args: Parameters<ChatServerToClient[K]>): void;
}

export interface FakeConversation {
  kind: ConversationKind;
  title: string;
  members: string[];
  owner?: string;
}

const refuse = (code: ErrorCode): { ok: false; error: ErrorBody } => ({
  ok: false,
  error: { code, message: `refused: ${code}` },
});

type ConversationEvents =
  | 'dm:open'
  | 'room:create'
  | 'room:invite'
  | 'room:kick'
  | 'conversation:leave'
  | 'conversations:list'
  | 'support:open';

/**
 * The private conversations of the fake chat server (docs/protocol.md, "Private conversations"), for the one
 * client it serves: who is a member, and the default answers to the conversation requests. Others are played
 * with `openedBy` and `removeMe`.
 */
export class FakeConversations {
  readonly byRoom = new Map<string, FakeConversation>();
  private privateRooms = 0;

  constructor(private readonly server: ConversationHost) {}

  /** This client's sockets are in the room without `room:join` (a moderator is in every support conversation). */
  isMember(room: string): boolean {
    const c = this.byRoom.get(room);
    const nick = this.server.nick;
    if (!c || nick === undefined) return false;
    return c.members.includes(nick) || (c.kind === 'support' && this.server.role === 'moderator');
  }

  /** Another person made this client a member (a DM opened by them, an invite): `conversation` tells it. */
  openedBy(room: string, conversation: FakeConversation): ConversationInfo {
    this.byRoom.set(room, conversation);
    const info = this.info(room, conversation);
    if (this.isMember(room)) this.server.emit('conversation', info);
    return info;
  }

  /** Someone removed this client (a kick by the owner, a leave on another device). */
  removeMe(room: string): void {
    const c = this.byRoom.get(room);
    if (!c) return;
    c.members = c.members.filter((m) => m !== this.server.nick);
    this.server.emit('conversation:removed', { room });
  }

  readonly handlers: Pick<Handlers, ConversationEvents> = {
    'dm:open': ({ nick }) => {
      const me = this.server.nick;
      if (!me) return refuse('NICK_REQUIRED');
      if (!this.server.taken.has(nick.toLowerCase())) return refuse('NOT_FOUND');
      const members = [me, nick].sort((a, b) => a.localeCompare(b));
      const room = `_dm-${members.join('-')}`;
      if (!this.byRoom.has(room)) this.openedBy(room, { kind: 'direct', title: '', members });
      return { ok: true, room, kind: 'direct', members };
    },
    'room:create': ({ title }) => {
      const me = this.server.nick;
      if (!me) return refuse('NICK_REQUIRED');
      if (!title.trim()) return refuse('BAD_REQUEST');
      const room = `_p-${++this.privateRooms}`;
      this.openedBy(room, { kind: 'private', title: title.trim(), members: [me], owner: me });
      return { ok: true, room, kind: 'private', title: title.trim(), members: [me] };
    },
    'room:invite': ({ room, nick }) => {
      const c = this.changeable(room);
      if ('error' in c) return c;
      if (!this.server.taken.has(nick.toLowerCase())) return refuse('NOT_FOUND');
      if (!c.members.includes(nick)) c.members = [...c.members, nick];
      this.server.emit('conversation', this.info(room, c)); // the members hear who is in it now
      return { ok: true, room, nick };
    },
    'room:kick': ({ room, nick }) => {
      const c = this.changeable(room);
      if ('error' in c) return c;
      if (nick === this.server.nick) this.removeMe(room);
      else {
        c.members = c.members.filter((m) => m !== nick);
        this.server.emit('conversation', this.info(room, c));
      }
      return { ok: true, room, nick };
    },
    'conversation:leave': ({ room }) => {
      if (!this.isMember(room)) return refuse('NOT_FOUND');
      if (this.byRoom.get(room)?.kind !== 'private') return refuse('NOT_ALLOWED');
      this.removeMe(room); // the leaver's sockets are told too, before the reply (as on the server)
      return { ok: true, room };
    },
    'conversations:list': () => {
      if (!this.server.nick) return refuse('NICK_REQUIRED');
      const latest = (room: string) => this.server.messagesOf(room).at(-1) ?? null;
      const conversations: ConversationListing[] = [...this.byRoom]
        .filter(([room]) => this.isMember(room))
        .map(([room, c]) => ({ ...this.info(room, c), lastMessage: latest(room), ...this.server.reads.state(room) }))
        .sort((a, b) => (b.lastMessage?.id ?? 0) - (a.lastMessage?.id ?? 0));
      return { ok: true, conversations };
    },
    'support:open': () => {
      const me = this.server.nick;
      if (!me) return refuse('NICK_REQUIRED');
      const room = `_support-${me}`;
      if (!this.byRoom.has(room)) this.openedBy(room, { kind: 'support', title: me, members: [me] });
      return { ok: true, room, kind: 'support' };
    },
  };

  /** A private room the client may invite to and remove from: the owner's, or any for a moderator. */
  private changeable(room: string): FakeConversation | { ok: false; error: ErrorBody } {
    const c = this.byRoom.get(room);
    if (!c || !this.isMember(room)) return refuse('NOT_FOUND');
    if (c.kind !== 'private') return refuse('BAD_REQUEST');
    if (c.owner !== this.server.nick && this.server.role !== 'moderator') return refuse('NOT_ALLOWED');
    return c;
  }

  private info(room: string, c: FakeConversation): ConversationInfo {
    return { room, kind: c.kind, title: c.title, members: [...c.members] };
  }
}
