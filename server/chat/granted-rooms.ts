import type { Member } from '../stores/conversations.js';
import type { ChatContext } from './context.js';
import { admit, announceMembers, expel } from './conversation-members.js';

/**
 * Host-granted rooms: a signed token's `rooms` claim makes its user a member of those private rooms (created, with
 * the site's name as title, the first time a token names them); a later token without a room ends that membership.
 * Run whenever a socket arrives with a token (connect, recovery, `auth:refresh`).
 */
export async function followGrants(ctx: ChatContext, member: Member, rooms: string[]): Promise<void> {
  const had = new Set(await ctx.conversations.grantedRoomsOf(member.person));
  for (const room of rooms) {
    if (had.has(room)) continue;
    const { conversation } = await ctx.conversations.create(
      { room, kind: 'private', title: room, createdAt: Date.now() },
      [],
    );
    try {
      await admit(ctx, conversation, { ...member, granted: true });
      await announceMembers(ctx, conversation);
    } catch (err) {
      ctx.log.warn({ err, room }, 'a granted room was not added'); // at MAX_CONVERSATIONS_PER_PERSON
    }
  }
  for (const room of had) {
    if (rooms.includes(room)) continue;
    await ctx.conversations.removeMember(room, member.person);
    await expel(ctx, room, member);
    const conversation = await ctx.conversations.find(room);
    if (conversation) await announceMembers(ctx, conversation);
  }
}
