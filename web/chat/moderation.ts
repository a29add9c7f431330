import type { ReactiveControllerHost } from 'lit';
import type { Role, Notice } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';
import { joinAndCatchUp } from './room-sync.js';
import type { Rooms } from './rooms.js';

/** The lengths of a ban the member list offers, in minutes; `undefined` is a ban without end. */
export const BAN_CHOICES: readonly (number | undefined)[] = [10, 60, 24 * 60, undefined];

/**
 * What a moderator can do (ban and unban members of a room; deleting anyone's message goes through `Edits`),
 * and the bans this client has seen announced (`notice`), which the member list offers to lift.
 * The server checks the role on every request; `role` only decides what the UI offers.
 */
export class Moderation {
  /** From the server's `identity`; a guest until it says otherwise. */
  role: Role = 'guest';
  /** Why the last ban or unban was refused, with its room. */
  error: { room: string; error: ClientError } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rooms: Rooms,
    private readonly deps: { socket: () => ChatSocket | undefined; nick: () => string | undefined },
  ) {}

  get isModerator(): boolean {
    return this.role === 'moderator';
  }

  /** `minutes` undefined: a ban without end. `reason` blank or undefined: none given. */
  async ban(room: string, nick: string, minutes: number | undefined, reason?: string): Promise<void> {
    const ban = {
      room,
      nick,
      ...(minutes === undefined ? {} : { minutes }),
      ...(reason?.trim() ? { reason: reason.trim() } : {}),
    };
    const res = await request(this.deps.socket(), 'room:ban', ban);
    this.settle(room, res);
    if (res?.ok) this.rooms.byName.get(room)?.bans.set(res.nick, res.until);
  }

  async unban(room: string, nick: string): Promise<void> {
    const res = await request(this.deps.socket(), 'room:unban', { room, nick });
    this.settle(room, res);
    if (res?.ok) this.rooms.byName.get(room)?.bans.delete(res.nick);
  }

  /**
   * A ban or unban in a joined room: a line in its log, and the list of bans to offer an unban for. Our own
   * ban took us out of the room on the server (see `rejoinIfBanned`).
   */
  applyNotice(notice: Notice): void {
    const room = this.rooms.byName.get(notice.room);
    if (!room) return;
    if (notice.type === 'ban') {
      room.bans.set(notice.nick, notice.until ?? null);
      // The server took the nick out of the room; for the banned page, no presence follows any more.
      room.members = room.members.filter((m) => m !== notice.nick);
      if (notice.nick === this.deps.nick()) {
        room.banned = true;
        room.bannedFor = notice.reason;
      }
    } else room.bans.delete(notice.nick);
    room.addNotice({
      kind: notice.type === 'ban' ? 'banned' : 'unbanned',
      nick: notice.nick,
      by: notice.by,
      until: notice.until,
      reason: notice.reason,
    });
    this.host.requestUpdate();
  }

  /**
   * Before a retried send: a room we were banned from is joined again, as the server does not tell a banned
   * nick about its unban (it is no longer in the room). While the ban holds, the join answers BANNED.
   */
  async rejoinIfBanned(name: string): Promise<void> {
    const room = this.rooms.byName.get(name);
    const socket = this.deps.socket();
    if (!room?.banned || !socket) return;
    const result = await joinAndCatchUp(socket, room);
    if (!('error' in result)) room.banned = false;
    room.touch();
    this.host.requestUpdate();
  }

  private settle(room: string, res: { ok: true } | { ok: false; error: ClientError } | undefined): void {
    this.error = res?.ok ? undefined : { room, error: res?.error ?? NO_ANSWER };
    this.rooms.byName.get(room)?.touch();
    this.host.requestUpdate();
  }
}
