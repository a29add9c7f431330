import { ChatError } from '../lib/ack.js';
import { takeMessage } from '../lib/budget-key.js';
import type { SendMessage } from '../protocol/events.js';
import { authorOf } from './author.js';
import { refuseBanned } from './moderation.js';
import { type ChatEvent, requireNick } from './context.js';
import { audienceOf } from './chat-socket.js';
import { requireHears } from './conversation-access.js';

/**
 * `message:send`: stored (committed) first, then broadcast to the room including the sender, then acked.
 * A clientId this nick already used is neither stored nor broadcast again; the ack repeats the first id.
 */
export async function sendMessage(ev: ChatEvent, input: SendMessage) {
  const { ctx, socket } = ev;
  const { nick } = requireNick(ev);
  await takeMessage(ctx.limits, socket);
  await refuseBanned(ctx, input.room, nick);
  await requireHears(ctx, socket, input.room);
  const author = authorOf(socket);
  if (author === undefined) throw new ChatError('NICK_REQUIRED', 'register a nick first');
  const { message, isNew } = await ctx.history.append({ ...input, nick, author });
  if (isNew) {
    ctx.metrics.messagesStored.inc();
    ctx.metrics.recentMessages.add();
    ctx.nsp.to(audienceOf(input.room)).emit('message', message);
  }
  return { id: message.id, ts: message.ts };
}
