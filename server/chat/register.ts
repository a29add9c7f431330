import type { Bus } from '../lib/bus.js';
import type { Logger } from '../lib/log.js';
import type { Membership } from '../lib/membership.js';
import type { Metrics } from '../lib/metrics.js';
import type { ChatLimits } from '../lib/rate-limit.js';
import { withAck } from '../lib/ack.js';
import { type ChatContext, type ChatEvent, type ChatStores, eventOf } from './context.js';
import { type ChatNamespace, joinedRooms } from './chat-socket.js';
import { sendMessage } from './messages.js';
import { deliverTyping, sendTyping } from './typing.js';
import { followMembership } from './node-events.js';
import { registerNick } from './nicks.js';
import { deleteMessage, editMessage } from './edits.js';
import { banNick, refuseOwnUnban, requireModerator, unbanNick } from './moderation.js';
import {
  parseBan,
  parseCreateRoom,
  parseDelete,
  parseEdit,
  parseHistoryQuery,
  parseNick,
  parseNickTarget,
  parseRoom,
  parseRoomAndNick,
  parseRoomTarget,
  parseSend,
  parseTyping,
} from './parse.js';
import { announceLeave, joinRoom, leaveRoom, listRooms, roomHistory, roomMembers } from './rooms.js';
import { SESSION_SWEEP_MS, startSessionSweeper } from './sessions.js';
import { endSocket, refreshToken, refuseRegistration, resumeSession } from './socket-lifecycle.js';
import { PresenceGrace } from './presence-grace.js';
import { type Authenticator, authenticate } from './signed-identity.js';
import { capSocketsPerSession } from './session-cap.js';
import type { ClientLimits } from '../lib/client-limits.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import type { RoomRetention } from './retention.js';
import { PRESENCE_GRACE_MS, REPORTS_PAGE_MAX } from '../protocol/limits.js';
import type { RecoveryGate } from '../lib/recovery-gate.js';
import { keepMemberships } from './conversation-entry.js';
import { parseReport, parseResolveEvent } from './parse-report.js';
import { reportMessage } from './reports.js';
import { resolveReport } from './report-resolution.js';
import { markRead, unreadSummary } from './read-state.js';
import {
  createPrivateRoom,
  inviteMember,
  kickMember,
  leaveConversation,
  listConversations,
  openDirect,
  openSupport,
} from './conversations.js';

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

/** Runs tasks one after the other, whatever each one's outcome. */
function inSequence(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The only place /chat events are bound. Returns a function that stops the session sweeper and the presence
 * grace timers, and resolves once the disconnect handling of every socket has finished.
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

  nsp.on('connection', (socket) => {
    // Session changes of one socket (resume, register, disconnect) run in order; other events wait for the resume.
    const sessionStep = inSequence();
    const resumed = sessionStep(() => resumeSession(ctx, socket)).catch((err) =>
      log.error({ err }, 'resuming a session failed'),
    );
    // One ChatEvent per event: the session is read once, after the resume, and handed to the handler.
    const bind = <T extends object>(event: string, handle: (ev: ChatEvent, raw: unknown) => Promise<T>) =>
      withAck(ctx, event, async (raw) => {
        await resumed;
        return handle(await eventOf(ctx, socket), raw);
      });

    socket.on(
      'nick:register',
      withAck(ctx, 'nick:register', (raw) => {
        refuseRegistration(ctx, socket);
        return sessionStep(() => registerNick(ctx, socket, parseNick(raw)));
      }),
    );
    socket.on(
      'room:join',
      bind('room:join', (ev, raw) => joinRoom(ev, parseRoom(raw))),
    );
    socket.on(
      'room:leave',
      bind('room:leave', (ev, raw) => leaveRoom(ev, parseRoom(raw))),
    );
    socket.on(
      'room:history',
      bind('room:history', (ev, raw) => roomHistory(ev, parseHistoryQuery(raw))),
    );
    socket.on(
      'room:members',
      bind('room:members', (ev, raw) => roomMembers(ev, parseRoom(raw))),
    );
    socket.on(
      'rooms:list',
      bind('rooms:list', (ev) => listRooms(ev)),
    );
    socket.on(
      'message:send',
      bind('message:send', (ev, raw) => sendMessage(ev, parseSend(raw))),
    );
    socket.on(
      'message:edit',
      bind('message:edit', (ev, raw) => editMessage(ev, parseEdit(raw))),
    );
    socket.on(
      'message:delete',
      bind('message:delete', (ev, raw) => deleteMessage(ev, parseDelete(raw))),
    );
    socket.on(
      'room:ban',
      bind('room:ban', async (ev, raw) => banNick(ctx, parseBan(raw), await requireModerator(ev))),
    );
    socket.on(
      'room:unban',
      bind('room:unban', async (ev, raw) => {
        const { room, nick } = parseRoomAndNick(raw);
        return unbanNick(ctx, room, nick, refuseOwnUnban(await requireModerator(ev), nick));
      }),
    );
    socket.on(
      'dm:open',
      bind('dm:open', (ev, raw) => openDirect(ev, parseNickTarget(raw))),
    );
    socket.on(
      'room:create',
      bind('room:create', (ev, raw) => createPrivateRoom(ev, parseCreateRoom(raw))),
    );
    socket.on(
      'room:invite',
      bind('room:invite', (ev, raw) => inviteMember(ev, parseRoomAndNick(raw))),
    );
    socket.on(
      'room:kick',
      bind('room:kick', (ev, raw) => kickMember(ev, parseRoomAndNick(raw))),
    );
    socket.on(
      'conversation:leave',
      bind('conversation:leave', (ev, raw) => leaveConversation(ev, parseRoomTarget(raw))),
    );
    socket.on(
      'conversations:list',
      bind('conversations:list', (ev) => listConversations(ev)),
    );
    socket.on(
      'support:open',
      bind('support:open', (ev) => openSupport(ev)),
    );
    socket.on(
      'room:read',
      bind('room:read', (ev, raw) => markRead(ev, parseDelete(raw))),
    );
    socket.on(
      'unread:summary',
      bind('unread:summary', (ev) => unreadSummary(ev)),
    );
    socket.on(
      'message:report',
      bind('message:report', (ev, raw) => reportMessage(ev, parseReport(raw))),
    );
    socket.on(
      'report:resolve',
      bind('report:resolve', async (ev, raw) => {
        const { id, ...resolution } = parseResolveEvent(raw);
        return { report: await resolveReport(ctx, id, resolution, await requireModerator(ev)) };
      }),
    );
    socket.on(
      'reports:list',
      bind('reports:list', async (ev) => {
        await requireModerator(ev);
        return { reports: await ctx.reports.list('open', REPORTS_PAGE_MAX) };
      }),
    );
    socket.on(
      'auth:refresh',
      // A session change: in the socket's sequence of them, reading the session there, not here.
      withAck(ctx, 'auth:refresh', async (raw) => {
        await resumed;
        return sessionStep(() => refreshToken(ctx, socket, raw));
      }),
    );
    socket.on('typing', (raw) => {
      sendTyping(ctx, socket, parseTyping(raw)).catch((err) => log.error({ err }, 'sending typing failed'));
    });
    // By 'disconnect' the socket has left its rooms already; here they are still readable.
    socket.on('disconnecting', (reason) => {
      const rooms = joinedRooms(socket);
      const ending = sessionStep(() => endSocket(ctx, socket, rooms, reason)).catch((err) =>
        log.error({ err }, 'disconnect cleanup failed'),
      );
      endings.add(ending);
      void ending.finally(() => endings.delete(ending));
    });
  });

  const stopSweeper = startSessionSweeper(ctx, options.sessionSweepMs ?? SESSION_SWEEP_MS);
  return async () => {
    stopSweeper();
    ctx.presenceGrace.stop();
    await Promise.all(endings); // a closing server records its sockets' ends before its stores close
  };
}
