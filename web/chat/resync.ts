import type { ReactiveControllerHost } from 'lit';
import type { Identity } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, request } from '../connection/request.js';
import { emit } from '../events.js';
import { RoomState } from './room-state.js';
import { joinAndCatchUp } from './room-sync.js';
import type { Rooms } from './rooms.js';
import type { Session } from './session.js';

export const DEFAULT_ROOM = 'lobby';

/**
 * A new connection's `nick:register` or rejoin that got no answer (a loaded server, a reply lost with a flapping
 * network) or a transient refusal is tried again this many times, this far apart, while the connection lasts:
 * giving up at once left the page "Online" with nothing joined and its outbox waiting for good, or a room shown
 * as caught up that no longer received anything.
 */
export const RESYNC_RETRIES = 3;
export const RESYNC_RETRY_MS = 1000;
/** Refusals that say "not now" rather than "no". */
const TRANSIENT: ReadonlySet<ClientError['code']> = new Set(['TIMEOUT', 'RATE_LIMITED', 'INTERNAL']);

/** What the status line says after a reconnect. */
export type SyncNote = { kind: 'recovered' } | { kind: 'caught-up'; count: number } | undefined;

export interface ResyncDeps {
  /** The socket, connected or not (a request on one that is not yet connected waits for it, up to its timeout). */
  socket(): ChatSocket | undefined;
  connected(): boolean;
  /** The socket carries the host site's signed token: the server names us with `identity`, no `nick:register`. */
  signed(): boolean;
  /** The room to join when there is none (every other was refused); a support widget asks the server for it. */
  fallbackRoom(): string | Promise<string | undefined>;
  /** Nick and rooms are back: refresh what depends on them and let the outbox send. */
  synced(): void;
}

/**
 * What every new connection needs before messages can go out: the nick registered again (the session's token
 * gets it back at once), every room joined again and what was missed fetched. Unless Socket.IO recovered the
 * connection, in which case the server still has all of that.
 */
export class Resync {
  nickError: { error: ClientError; nick: string } | undefined;
  syncNote: SyncNote;
  /** Nick registered and rooms rejoined on this connection. */
  ready = false;
  /** Counts connections, so the work of an earlier one can tell it is stale. */
  private epoch = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly session: Session,
    private readonly rooms: Rooms,
    private readonly deps: ResyncDeps,
  ) {}

  async connected(recovered: boolean): Promise<void> {
    const epoch = ++this.epoch;
    const nick = this.session.nick;
    if (recovered && nick) {
      this.syncNote = { kind: 'recovered' };
      this.ready = true;
      void this.refreshMembers(); // the replayed presence may include our own "left"
    } else if (this.deps.signed()) {
      return; // `identity` follows the connect
    } else if (nick) {
      if (!(await this.registerAgain(nick, epoch)) || epoch !== this.epoch) return;
      await this.rejoinAndNote(epoch);
    }
    this.deps.synced();
  }

  /**
   * The server named this socket: a signed user right after connecting (then the rooms are joined again), or
   * a guest renamed because a signed user took its nick.
   */
  async identified({ nick }: Identity): Promise<void> {
    if (nick !== this.session.nick) {
      this.session.update({ nick });
      emit(this.host, 'chat-nick-registered', { nick });
    }
    this.nickError = undefined;
    this.host.requestUpdate();
    if (this.ready || !this.deps.signed()) return;
    const epoch = this.epoch;
    if (!(await this.rejoinAndNote(epoch))) return;
    this.deps.synced();
  }

  /** Joins the rooms again and sets the status note; false if a newer connection overtook this one. */
  private async rejoinAndNote(epoch: number): Promise<boolean> {
    const wasReconnect = [...this.rooms.byName.values()].some((room) => room.messageCount > 0);
    const missed = await this.rejoinAll(wasReconnect, epoch);
    if (epoch !== this.epoch) return false;
    // Nothing missed reads as a recovery: "caught up on 0 messages" says nothing useful.
    this.syncNote = !wasReconnect
      ? undefined
      : missed > 0
        ? { kind: 'caught-up', count: missed }
        : { kind: 'recovered' };
    return true;
  }

  disconnected(): void {
    this.ready = false;
    this.syncNote = undefined;
    this.rooms.clearTyping();
  }

  /** From the nick form: the first nick also joins the rooms; a later one is a rename. */
  async submitNick(nick: string): Promise<void> {
    if ((await this.register(nick)) !== 'ok' || this.ready) return;
    await this.rejoinAll(false, this.epoch);
    this.deps.synced();
  }

  /** The session's nick on a new connection, tried again while unanswered or refused for now. */
  private async registerAgain(nick: string, epoch: number): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.register(nick);
      if (outcome === 'ok') return true;
      if (outcome === 'refused' || !(await this.mayRetry(attempt, epoch))) return false;
    }
  }

  /**
   * A room's join on a new connection, tried again while unanswered or failing for now (RATE_LIMITED is already
   * tried again, longer, by `joinAndCatchUp`).
   */
  private async rejoin(socket: ChatSocket, room: RoomState, epoch: number): ReturnType<typeof joinAndCatchUp> {
    for (let attempt = 0; ; attempt++) {
      const result = await joinAndCatchUp(socket, room);
      const notNow = 'error' in result && result.error.code !== 'RATE_LIMITED' && TRANSIENT.has(result.error.code);
      if (!notNow || !(await this.mayRetry(attempt, epoch))) return result;
    }
  }

  /** Waits before another attempt, unless that was the last one or the connection it was for is gone. */
  private async mayRetry(attempt: number, epoch: number): Promise<boolean> {
    if (attempt === RESYNC_RETRIES || epoch !== this.epoch || !this.deps.connected()) return false;
    await new Promise((resolve) => setTimeout(resolve, RESYNC_RETRY_MS));
    return epoch === this.epoch && this.deps.connected();
  }

  private async register(nick: string): Promise<'ok' | 'refused' | 'not-now'> {
    const res = await request(this.deps.socket(), 'nick:register', nick);
    if (!res) return 'not-now';
    if (!res.ok) {
      this.nickError = { error: res.error, nick };
      // The stored nick is lost (taken while away); a refused rename keeps the nick the session holds.
      const lost = nick === this.session.nick && (res.error.code === 'NICK_TAKEN' || res.error.code === 'NICK_INVALID');
      if (lost) this.session.update({ nick: undefined });
      this.host.requestUpdate();
      return TRANSIENT.has(res.error.code) ? 'not-now' : 'refused';
    }
    this.nickError = undefined;
    this.session.update({ nick: res.nick, token: res.token });
    emit(this.host, 'chat-nick-registered', { nick: res.nick });
    this.host.requestUpdate();
    return 'ok';
  }

  /** Joins every room again (a new connection is in none) and fetches what was missed after the last id seen. */
  private async rejoinAll(announce: boolean, epoch: number): Promise<number> {
    let missed = 0;
    for (const room of [...this.rooms.byName.values()]) {
      const socket = this.deps.socket();
      if (!socket) break;
      const result = await this.rejoin(socket, room, epoch);
      // A bad URL hash, or a conversation this person is no longer a member of (a guest's memberships end with
      // its session): to a non-member a private conversation does not exist.
      const gone = 'error' in result && (result.error.code === 'ROOM_INVALID' || result.error.code === 'NOT_FOUND');
      if (gone) this.rooms.forget(room.name);
      if (!('error' in result)) this.rooms.readStateArrived(room);
      // failed, a first join, or nothing missed
      if (!('added' in result) || result.added === 0 || room.messageCount === result.added) continue;
      if (announce) room.addNotice({ kind: 'caught-up', count: result.added });
      missed += result.added; // the join reply's counts include them: nothing to count here
    }
    // A rejoin that a newer connection overtook must not declare that one ready before its own rejoin.
    if (this.session.nick && epoch === this.epoch && this.deps.connected()) this.ready = true;
    if (this.rooms.byName.size === 0) await this.joinDefault();
    this.rooms.remember(); // rooms opened from a link or the `room` attribute, like those joined by hand
    return missed;
  }

  /**
   * Every room was refused (or left): the lobby (or the first allowed room), so there is a room to show. A support
   * widget's one room is the visitor's support conversation.
   */
  private async joinDefault(): Promise<void> {
    const name = await this.deps.fallbackRoom();
    const socket = this.deps.socket();
    if (!socket || name === undefined) return;
    const room = new RoomState(name);
    if ('error' in (await joinAndCatchUp(socket, room))) return;
    this.rooms.add(room);
    this.rooms.select(room.name);
  }

  private async refreshMembers(): Promise<void> {
    for (const room of [...this.rooms.byName.values()]) {
      const res = await request(this.deps.socket(), 'room:members', room.name);
      if (res?.ok) room.members = res.members;
    }
    this.host.requestUpdate();
  }
}
