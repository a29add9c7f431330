import type { Bus } from '../lib/bus.js';
import type { Logger } from '../lib/log.js';
import type { Metrics } from '../lib/metrics.js';
import { ChatError } from '../lib/ack.js';
import type { ChatLimits } from '../lib/rate-limit.js';
import type { ClientLimits } from '../lib/client-limits.js';
import type { BanStore } from '../stores/bans.js';
import type { ConversationStore } from '../stores/conversations.js';
import type { ReadStateStore } from '../stores/read-state.js';
import type { ReportStore } from '../stores/reports.js';
import type { HistoryStore } from '../stores/history.js';
import type { NickRegistry } from '../stores/nicks.js';
import type { PresenceRegistry } from '../stores/presence.js';
import type { Session, SessionStore } from '../stores/sessions.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import type { PresenceGrace } from './presence-grace.js';
import type { RoomRetention } from './retention.js';
import type { Authenticator } from './signed-identity.js';
import type { ChatNamespace, ChatSocket } from './chat-socket.js';

export interface ChatStores {
  history: HistoryStore;
  nicks: NickRegistry;
  presence: PresenceRegistry;
  sessions: SessionStore;
  bans: BanStore;
  conversations: ConversationStore;
  readState: ReadStateStore;
  reports: ReportStore;
}

/** Everything the /chat handlers share; built once per namespace by `registerChat` from what it is given. */
export interface ChatContext extends ChatStores {
  nsp: ChatNamespace;
  log: Logger;
  metrics: Metrics;
  limits: ChatLimits;
  /** Sockets and rooms per session (and the connection limits, which app.ts applies). */
  clientLimits: ClientLimits;
  recoveryWindowMs: number;
  /** Leaves announced after PRESENCE_GRACE_MS unless the session comes back (`presence-grace.ts`). */
  presenceGrace: PresenceGrace;
  /** Sends `presence` (one per change) or, in rooms over PRESENCE_COALESCE_ABOVE, `presence:batch` a second. */
  announcer: PresenceAnnouncer;
  /** This process, as named in the owners of nick claims, presence entries and session sockets. */
  nodeId: string;
  /** Messages to every node, this one included (typing notices). */
  bus: Bus;
  /** Signed identity (AUTH_SECRET); undefined = off, and a handshake with a `jwt` is refused. */
  authenticator?: Authenticator | undefined;
  /** How long each room's messages are kept: history reads never return older ones. */
  roomRetention: RoomRetention;
  /** GUESTS: whether sockets without a signed identity may register a nick (and so chat). */
  guests: boolean;
}

export async function sessionOf(ctx: ChatContext, socket: ChatSocket): Promise<Session | undefined> {
  const token = socket.data.sessionToken;
  return token === undefined ? undefined : ctx.sessions.get(token);
}

/**
 * One /chat event, as Koa's context is one request: what the namespace shares, the socket, and its session read
 * once as the handling starts (from this node's copies, so an unchanged session costs no round trip).
 */
export interface ChatEvent {
  readonly ctx: ChatContext;
  readonly socket: ChatSocket;
  /** Undefined before the socket's first `nick:register` (or sign-in). */
  readonly session: Session | undefined;
}

export async function eventOf(ctx: ChatContext, socket: ChatSocket): Promise<ChatEvent> {
  return { ctx, socket, session: await sessionOf(ctx, socket) };
}

export type NamedSession = Session & { nick: string };

/** The server's record of who this socket is; never a payload field. */
export function requireNick({ session }: ChatEvent): NamedSession {
  if (session?.nick === undefined) throw new ChatError('NICK_REQUIRED', 'register a nick first');
  return session as NamedSession;
}
