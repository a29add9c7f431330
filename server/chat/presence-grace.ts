import type { Logger } from '../lib/log.js';
import type { PresenceRegistry } from '../stores/presence.js';

/** What the grace needs of /chat: the leave announcement itself and the turn-by-turn runner of the announcer. */
export interface PresenceGraceDeps {
  presence: PresenceRegistry;
  log: Logger;
  /** Runs a task per room, a turn at a time (PresenceAnnouncer.eachRoom). */
  eachRoom(rooms: Iterable<string>, task: (room: string) => Promise<void>): Promise<void>;
  /** Removes the socket's entry in the room and announces `left` if the nick is gone from it (rooms.ts). */
  announceLeave(room: string, socketId: string, nick: string): Promise<void>;
}

/** A socket that went away, and the rooms whose `left` for it is still to come. */
interface Departure {
  timer: NodeJS.Timeout;
  socketId: string;
  rooms: Set<string>;
}

/**
 * Presence without flicker: a socket that goes away keeps its presence entries for `graceMs`, and the room is
 * told `left` only when the grace ends. A session that re-enters the room meanwhile (a reload, a reconnect)
 * takes over: its new entry is the same nick, so it is announced as nothing, and the old entry is dropped
 * silently. Presence counts nicks, so a member list read during the grace shows the nick all along.
 *
 * One timer per departure, whose rooms are announced a turn at a time (`announcer.eachRoom`): a timer per room
 * would fire together in one turn, as long as the departed socket had rooms.
 *
 * The timers belong to this process, like the sockets they stand for (the session sweeper is the other timer of
 * /chat). In a cluster, a session that re-enters on another process still causes no flicker: when the grace ends
 * here, removing the old entry changes nothing because the nick is present through the new one.
 */
export class PresenceGrace {
  /** `session \0 room` → the departures of that session still pending in that room. */
  private readonly pending = new Map<string, Departure[]>();

  constructor(
    readonly graceMs: number,
    private readonly deps: PresenceGraceDeps,
  ) {}

  /** The socket left `rooms` (it is gone); tells each room after the grace unless its session comes back. */
  async leaveLater(session: string, socketId: string, nick: string, rooms: string[]) {
    const leave = (room: string) => this.deps.announceLeave(room, socketId, nick);
    if (this.graceMs <= 0) return this.deps.eachRoom(rooms, leave);
    // A room the session re-enters while the others are being announced drops out of the set: no `left` there.
    const announcePending = (room: string) => {
      this.remove(pendingKey(session, room), departure);
      return leave(room);
    };
    const departure: Departure = {
      socketId,
      rooms: new Set(rooms),
      timer: setTimeout(() => {
        this.deps
          .eachRoom(departure.rooms, announcePending)
          .catch((err) => this.deps.log.error({ err }, 'announcing a leave failed'));
      }, this.graceMs),
    };
    departure.timer.unref();
    for (const room of rooms) {
      const key = pendingKey(session, room);
      this.pending.set(key, [...(this.pending.get(key) ?? []), departure]);
    }
  }

  /**
   * Called after `socketId` of `session` entered `room`: the pending leaves of that session there are cancelled
   * and their entries dropped without an announcement (a recovered socket keeps its id and its entry).
   */
  async reentered(session: string, socketId: string, room: string): Promise<void> {
    const key = pendingKey(session, room);
    const departures = this.pending.get(key);
    if (!departures) return;
    this.pending.delete(key);
    for (const departure of departures) {
      departure.rooms.delete(room);
      if (departure.rooms.size === 0) clearTimeout(departure.timer);
      if (departure.socketId !== socketId) await this.deps.presence.leave(room, departure.socketId);
    }
  }

  /** Cancels every pending leave (the server is closing). */
  stop(): void {
    for (const departures of this.pending.values()) for (const departure of departures) clearTimeout(departure.timer);
    this.pending.clear();
  }

  private remove(key: string, departure: Departure): void {
    const rest = (this.pending.get(key) ?? []).filter((other) => other !== departure);
    if (rest.length > 0) this.pending.set(key, rest);
    else this.pending.delete(key);
  }
}

const pendingKey = (session: string, room: string): string => `${session}\u0000${room}`;
