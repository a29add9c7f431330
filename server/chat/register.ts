import type { Bus } from '../lib/bus.js';
import type { Logger } from '../lib/log.js';
import type { Membership } from '../lib/membership.js';
import type { Metrics } from '../lib/metrics.js';
import type { ChatLimits } from '../lib/rate-limit.js';
import type { ChatContext, ChatStores } from './context.js';
import type { ChatNamespace } from './chat-socket.js';
import { deliverTyping } from './typing.js';
import { followMembership } from './node-events.js';
import { announceLeave } from './rooms.js';
import { SESSION_SWEEP_MS, startSessionSweeper } from './sessions.js';
import { PresenceGrace } from './presence-grace.js';
import { type Authenticator, authenticate } from './signed-identity.js';
import { capSocketsPerSession } from './session-cap.js';
import type { ClientLimits } from '../lib/client-limits.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import type { RoomRetention } from './retention.js';
import { PRESENCE_GRACE_MS } from '../protocol/limits.js';
import type { RecoveryGate } from '../lib/recovery-gate.js';
import { keepMemberships } from './conversation-entry.js';
import { chatListeners } from './chat-listeners.js';
import { startSteps } from './socket-steps.js';
import { sharedListenerTable } from '../lib/shared-listeners.js';

export interface ChatOptions extends ChatStores {
  log: Logger;
  metrics: Metrics;
  limits: ChatLimits;
  clientLimits: ClientLimits;
  recoveryWindowMs: number;
  nodeId: string;
  sessionSweepMs?: number;
  /** Default PRESENCE_GRACE_MS. */
  presenceGraceMs?: number;
  /** How long each room's messages are kept; the composition root owns it (and the sweep). */
  roomRetention: RoomRetention;
  /** Every presence change of /chat goes out through it; the composition root owns (and stops) it. */
  announcer: PresenceAnnouncer;
  bus: Bus;
  /** Which nodes are alive: /chat reaps a dead node's members and re-asserts its own (node-events.ts). */
  membership: Membership;
  /** Where the adapter asks what a recovered session may keep: its person's conversations only. */
  recoveryGate: RecoveryGate;
  /** Signed identity (AUTH_SECRET); undefined = off. */
  authenticator?: Authenticator | undefined;
  /** GUESTS; default true. */
  guests?: boolean;
}

/**
 * Where /chat is set up; its events are bound from the one list in chat-listeners.ts. Returns a function that
 * stops the session sweeper and the presence grace timers, and resolves once the disconnect handling of every
 * socket has finished.
 */
export function registerChat(nsp: ChatNamespace, options: ChatOptions): () => Promise<void> {
  const presenceGrace = new PresenceGrace(options.presenceGraceMs ?? PRESENCE_GRACE_MS, {
    ...{ presence: options.presence, log: options.log },
    eachRoom: (rooms, task) => options.announcer.eachRoom(rooms, task),
    announceLeave: (room, socketId, nick) => announceLeave(ctx, room, socketId, nick),
  });
  const ctx: ChatContext = { ...options, nsp, presenceGrace, guests: options.guests ?? true };
  const { log } = ctx;
  const endings = new Set<Promise<void>>();
  deliverTyping(nsp, ctx.bus);
  followMembership(ctx, options.membership);
  options.recoveryGate.use((session) => keepMemberships(ctx, session));
  nsp.use(authenticate(ctx.authenticator, log));
  nsp.use(capSocketsPerSession(ctx)); // the last middleware: it attaches the socket to its session

  const listeners = sharedListenerTable(chatListeners(ctx, endings));
  nsp.on('connection', (socket) => {
    startSteps(ctx, socket);
    listeners.bindTo(socket);
  });

  const stopSweeper = startSessionSweeper(ctx, options.sessionSweepMs ?? SESSION_SWEEP_MS);
  return async () => {
    stopSweeper();
    ctx.presenceGrace.stop();
    await Promise.all(endings); // a closing server records its sockets' ends before its stores close
  };
}
