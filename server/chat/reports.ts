import { ChatError } from '../lib/ack.js';
import { takeMessage } from '../lib/budget-key.js';
import type { ReportMessage } from '../protocol/reports.js';
import { type ChatContext, type ChatEvent, requireNick } from './context.js';
import { type ChatSocket, SUPPORT_TEAM } from './chat-socket.js';
import { requireHears } from './conversation-access.js';
import { personOf } from './person.js';

/**
 * Where `report` events go: every moderator's socket is in the support team's room (conversation-entry.ts), on
 * whichever node, so one emit reaches them all through the adapter.
 */
export const MODERATORS = SUPPORT_TEAM;

/** Whether the socket hears the room (joined, or a member after all); never tells a private room from none. */
async function mayHear(ctx: ChatContext, socket: ChatSocket, room: string): Promise<boolean> {
  try {
    await requireHears(ctx, socket, room);
    return true;
  } catch (err) {
    if (err instanceof ChatError && (err.code === 'NOT_IN_ROOM' || err.code === 'NOT_FOUND')) return false;
    throw err;
  }
}

/**
 * `message:report`: a nick, the message budget (reports draw on the sends' budget, so they flood no more than
 * messages do), a room the socket hears and a message there that is not deleted (else one NOT_FOUND for all
 * three, so a private room's existence does not leak). Then the report is stored once per person and message;
 * only a new one goes to the moderators.
 */
export async function reportMessage(ev: ChatEvent, input: ReportMessage): Promise<Record<never, never>> {
  const { ctx, socket } = ev;
  const session = requireNick(ev);
  await takeMessage(ctx.limits, socket);
  const missing = new ChatError('NOT_FOUND', `no message ${input.id} in ${input.room}`);
  if (!(await mayHear(ctx, socket, input.room))) throw missing;
  const found = await ctx.history.find(input.room, input.id);
  if (!found || found.message.deleted) throw missing;
  const { report, isNew } = await ctx.reports.add({
    ...{ room: input.room, messageId: input.id, authorNick: found.message.nick, author: found.author ?? null },
    ...{ reporterPerson: personOf(session.token), reporterNick: session.nick, reason: input.reason, at: Date.now() },
  });
  if (isNew) {
    ctx.nsp.to(MODERATORS).emit('report', report);
    ctx.log.info({ report: report.id, room: report.room, messageId: report.messageId }, 'message reported');
  }
  return {};
}
