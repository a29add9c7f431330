import type { Bus } from '../lib/bus.js';
import { budgetKey } from '../lib/budget-key.js';
import { type ChatContext, sessionOf } from './context.js';
import { type ChatNamespace, type ChatSocket, audienceOf, hears } from './chat-socket.js';

/** The bus topic of typing notices: every node delivers them to its own sockets in the room. */
const TYPING = 'chat:typing';

/** A typing notice on its way to every node: `from` is the sender's socket, left out of the delivery. */
interface TypingNotice {
  room: string;
  nick: string;
  from: string;
}

/**
 * Typing notices go over the bus, never into the adapter (a cluster's adapter stream would replay them on
 * recovery and push chat messages out of it). Volatile: a notice is worthless late, so it is neither queued for
 * a busy client nor replayed.
 */
export function deliverTyping(nsp: ChatNamespace, bus: Bus): void {
  bus.subscribe<TypingNotice>(TYPING, ({ room, nick, from }) => {
    nsp.local.to(audienceOf(room)).except(from).volatile.emit('typing', { room, nick });
  });
}

/** `typing`: told to the others in the room; anything odd is dropped, since there is no ack to answer. */
export async function sendTyping(ctx: ChatContext, socket: ChatSocket, room: string | undefined): Promise<void> {
  if (room === undefined) return;
  const nick = (await sessionOf(ctx, socket))?.nick;
  if (nick === undefined) return;
  if (!hears(socket, room) || !(await ctx.limits.typing.tryTake(budgetKey(socket)))) return;
  await ctx.bus.publish<TypingNotice>(TYPING, { room, nick, from: socket.id });
}
