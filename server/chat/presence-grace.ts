import type { ChatContext } from './context.js';
import { announceLeave } from './rooms.js';

interface PendingLeave {
  timer: NodeJS.Timeout;
  socketId: string;
}

/**
 * Presence without flicker: a socket that goes away keeps its presence entries for `graceMs`, and the room is
 * told `left` only when the grace ends. A session that re-enters the room meanwhile (a reload, a reconnect)
 * takes over: its new entry is the same nick, so it is announced as nothing, and the old entry is dropped
 * silently. Presence counts nicks, so a member list read during the grace shows the nick all along.
 *
 * The timers belong to this process, like the sockets they stand for (the session sweeper is the other timer of
 * /chat). In a cluster, a session that re-enters on another process still causes no flicker: when the grace ends
 * here, removing the old entry changes nothing because the nick is present through the new one.
 */
export class PresenceGrace {
  /** `session \0 room` → the departed sockets of that session in that room. */
  private readonly pending = new Map<string, PendingLeave[]>();

  constructor(readonly graceMs: number) {}

  /** The socket left `rooms` (it is gone); tells each room after the grace unless its session comes back. */
  async leaveLater(ctx: ChatContext, session: string, socketId: string, nick: string, rooms: string[]) {
    if (this.graceMs <= 0) {
      for (const room of rooms) await announceLeave(ctx, room, socketId, nick);
      return;
    }
    for (const room of rooms) {
      const key = pendingKey(session, room);
      const timer = setTimeout(() => {
        this.remove(key, socketId);
        announceLeave(ctx, room, socketId, nick).catch((err) => ctx.log.error({ err }, 'announcing a leave failed'));
      }, this.graceMs);
      timer.unref();
      this.pending.set(key, [...(this.pending.get(key) ?? []), { timer, socketId }]);
    }
  }

  /**
   * Called after `socketId` of `session` entered `room`: the pending leaves of that session there are cancelled
   * and their entries dropped without an announcement (a recovered socket keeps its id and its entry).
   */
  async reentered(ctx: ChatContext, session: string, socketId: string, room: string): Promise<void> {
    const key = pendingKey(session, room);
    const leaves = this.pending.get(key);
    if (!leaves) return;
    this.pending.delete(key);
    for (const leave of leaves) {
      clearTimeout(leave.timer);
      if (leave.socketId !== socketId) await ctx.presence.leave(room, leave.socketId);
    }
  }

  /** Cancels every pending leave (the server is closing). */
  stop(): void {
    for (const leaves of this.pending.values()) for (const leave of leaves) clearTimeout(leave.timer);
    this.pending.clear();
  }

  private remove(key: string, socketId: string): void {
    const rest = (this.pending.get(key) ?? []).filter((leave) => leave.socketId !== socketId);
    if (rest.length > 0) this.pending.set(key, rest);
    else this.pending.delete(key);
  }
}

const pendingKey = (session: string, room: string): string => `${session}\u0000${room}`;
