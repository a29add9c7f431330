import type { DisconnectReason } from 'socket.io';
import { sharedAckListener } from '../lib/ack.js';
import { type ChatContext, type ChatEvent, eventOf } from './context.js';
import { type ChatSocket, joinedRooms } from './chat-socket.js';
import { sendMessage } from './messages.js';
import { sendTyping } from './typing.js';
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
import { joinRoom, leaveRoom, listRooms, roomHistory, roomMembers } from './rooms.js';
import { endSocket, refreshToken, refuseRegistration } from './socket-lifecycle.js';
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
import { stepsOf } from './socket-steps.js';
import { REPORTS_PAGE_MAX } from '../protocol/limits.js';

/** A listener shared by every /chat socket: Node calls it with the socket as `this`. */
export type ChatListener = (this: ChatSocket, ...args: unknown[]) => unknown;

type EventHandler = (ev: ChatEvent, raw: unknown) => Promise<object>;

/** Acknowledged events that wait for the socket's resume and read its session once (a ChatEvent). */
const EVENT_HANDLERS: Record<string, EventHandler> = {
  'room:join': (ev, raw) => joinRoom(ev, parseRoom(raw)),
  'room:leave': (ev, raw) => leaveRoom(ev, parseRoom(raw)),
  'room:history': (ev, raw) => roomHistory(ev, parseHistoryQuery(raw)),
  'room:members': (ev, raw) => roomMembers(ev, parseRoom(raw)),
  'rooms:list': (ev) => listRooms(ev),
  'message:send': (ev, raw) => sendMessage(ev, parseSend(raw)),
  'message:edit': (ev, raw) => editMessage(ev, parseEdit(raw)),
  'message:delete': (ev, raw) => deleteMessage(ev, parseDelete(raw)),
  'room:ban': async (ev, raw) => banNick(ev.ctx, parseBan(raw), await requireModerator(ev)),
  'room:unban': async (ev, raw) => {
    const { room, nick } = parseRoomAndNick(raw);
    return unbanNick(ev.ctx, room, nick, refuseOwnUnban(await requireModerator(ev), nick));
  },
  'dm:open': (ev, raw) => openDirect(ev, parseNickTarget(raw)),
  'room:create': (ev, raw) => createPrivateRoom(ev, parseCreateRoom(raw)),
  'room:invite': (ev, raw) => inviteMember(ev, parseRoomAndNick(raw)),
  'room:kick': (ev, raw) => kickMember(ev, parseRoomAndNick(raw)),
  'conversation:leave': (ev, raw) => leaveConversation(ev, parseRoomTarget(raw)),
  'conversations:list': (ev) => listConversations(ev),
  'support:open': (ev) => openSupport(ev),
  'room:read': (ev, raw) => markRead(ev, parseDelete(raw)),
  'unread:summary': (ev) => unreadSummary(ev),
  'message:report': (ev, raw) => reportMessage(ev, parseReport(raw)),
  'report:resolve': async (ev, raw) => {
    const { id, ...resolution } = parseResolveEvent(raw);
    return { report: await resolveReport(ev.ctx, id, resolution, await requireModerator(ev)) };
  },
  'reports:list': async (ev) => {
    await requireModerator(ev);
    return { reports: await ev.ctx.reports.list('open', REPORTS_PAGE_MAX) };
  },
};

/**
 * Every /chat listener, built once per namespace and bound to each socket as it connects: a connection costs
 * entries in its listener table, not ~70 closures (issue 24). `endings` collects the disconnect handling of
 * each socket, for a closing server to wait on.
 */
export function chatListeners(ctx: ChatContext, endings: Set<Promise<void>>): Array<[string, ChatListener]> {
  const acked = Object.entries(EVENT_HANDLERS).map(([event, handle]): [string, ChatListener] => [
    event,
    sharedAckListener(ctx, event, async (socket: ChatSocket, raw) => {
      await stepsOf(socket).resumed;
      return handle(await eventOf(ctx, socket), raw);
    }),
  ]);
  return [...sessionListeners(ctx), ...acked, ...unackedListeners(ctx, endings)];
}

/** Session changes: in the socket's sequence of them, reading the session there, not up front. */
function sessionListeners(ctx: ChatContext): Array<[string, ChatListener]> {
  return [
    [
      'nick:register',
      sharedAckListener(ctx, 'nick:register', (socket: ChatSocket, raw) => {
        refuseRegistration(ctx, socket);
        return stepsOf(socket).inOrder(() => registerNick(ctx, socket, parseNick(raw)));
      }),
    ],
    [
      'auth:refresh',
      sharedAckListener(ctx, 'auth:refresh', async (socket: ChatSocket, raw) => {
        await stepsOf(socket).resumed;
        return stepsOf(socket).inOrder(() => refreshToken(ctx, socket, raw));
      }),
    ],
  ];
}

function unackedListeners(ctx: ChatContext, endings: Set<Promise<void>>): Array<[string, ChatListener]> {
  const { log } = ctx;
  return [
    [
      'typing',
      function (this: ChatSocket, raw: unknown) {
        sendTyping(ctx, this, parseTyping(raw)).catch((err) => log.error({ err }, 'sending typing failed'));
      },
    ],
    [
      // By 'disconnect' the socket has left its rooms already; here they are still readable.
      'disconnecting',
      function (this: ChatSocket, reason: unknown) {
        const ending = endInOrder(ctx, this, reason as DisconnectReason);
        endings.add(ending);
        void ending.finally(() => endings.delete(ending));
      },
    ],
  ];
}

/** The socket's end, after its other session changes; its rooms are read now, while it is still in them. */
function endInOrder(ctx: ChatContext, socket: ChatSocket, reason: DisconnectReason): Promise<void> {
  const rooms = joinedRooms(socket);
  return stepsOf(socket)
    .inOrder(() => endSocket(ctx, socket, rooms, reason))
    .catch((err) => ctx.log.error({ err }, 'disconnect cleanup failed'));
}
