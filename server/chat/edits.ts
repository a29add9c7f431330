import { ChatError } from '../lib/ack.js';
import { takeMessage } from '../lib/budget-key.js';
import type { DeleteMessage, EditMessage, Message } from '../protocol/events.js';
import type { AuditActor } from '../stores/audit.js';
import { type ChatEvent, requireNick } from './context.js';
import { audienceOf } from './chat-socket.js';
import { requireHears } from './conversation-access.js';
import { moderatorOf, removeMessage } from './moderation.js';
import { authorOf } from './author.js';

/**
 * The checks `message:edit` and `message:delete` share, in the contract's order: a nick, the message
 * budget, membership of the room, the message, and that this socket's person sent it (chat/author.ts): the
 * same signed user or the same guest session, whatever nick either holds now. A message stored before authors
 * were recorded belongs to nobody: only a moderator may delete it.
 */
async function ownMessage(ev: ChatEvent, room: string, id: number, moderatorMay = false): Promise<Checked> {
  const { ctx, socket } = ev;
  requireNick(ev);
  await takeMessage(ctx.limits, socket);
  await requireHears(ctx, socket, room);
  const found = await ctx.history.find(room, id);
  if (!found) throw new ChatError('NOT_FOUND', `no message ${id} in ${room}`);
  const own = found.author !== undefined && found.author === authorOf(socket);
  if (own) return { message: found.message };
  const moderator = moderatorMay ? moderatorOf(ev) : undefined;
  if (!moderator) throw new ChatError('NOT_ALLOWED', 'not your message');
  return { message: found.message, moderator };
}

/** A message the socket may change, and the moderator acting when it is someone else's. */
interface Checked {
  message: Message;
  moderator?: AuditActor;
}

/** `message:edit`: the new text is stored, then broadcast to the room as `message:updated`, then acked. */
export async function editMessage(ev: ChatEvent, input: EditMessage) {
  const { ctx } = ev;
  const { message } = await ownMessage(ev, input.room, input.id);
  const editedAt = Date.now();
  if (message.deleted || !(await ctx.history.edit(input.room, input.id, input.text, editedAt))) {
    throw new ChatError('NOT_FOUND', `message ${input.id} was deleted`);
  }
  ctx.nsp
    .to(audienceOf(input.room))
    .emit('message:updated', { id: input.id, room: input.room, text: input.text, editedAt });
  return { id: input.id, editedAt };
}

/**
 * `message:delete`: the text is removed from storage, then `message:deleted` goes to the room. Deleting a
 * deleted message again is `ok` without a second broadcast, so a retry after a lost ack is harmless.
 * A moderator may delete anyone's message; deleting someone else's is moderation (audited and logged).
 */
export async function deleteMessage(ev: ChatEvent, input: DeleteMessage) {
  const { moderator } = await ownMessage(ev, input.room, input.id, true);
  await removeMessage(ev.ctx, input.room, input.id, moderator);
  return { id: input.id };
}
