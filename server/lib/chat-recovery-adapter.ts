import { randomBytes } from 'node:crypto';
import type { Namespace } from 'socket.io';
import { Adapter, type BroadcastOptions, type Session } from 'socket.io-adapter';
import { type KeptPacket, RecoveryBuffer } from './recovery-buffer.js';
import { RecoveryGate } from './recovery-gate.js';

type Packet = Parameters<Adapter['broadcast']>[0];
type SessionToPersist = Parameters<Adapter['persistSession']>[0];

/** Default of RECOVERY_BUFFER_BYTES: what the kept /chat broadcasts may take per process. */
export const RECOVERY_BUFFER_BYTES = 64 * 1024 * 1024;
/** How often expired sessions and packets are dropped (as Socket.IO's own adapter does). */
const SWEEP_MS = 60_000;
const EVENT_PACKET = 2;

/**
 * Connection state recovery for /chat, in place of socket.io-adapter's SessionAwareAdapter, which
 * - keeps every broadcast for the whole window, however many: a busy room could hold gigabytes. Here what is kept is
 *   also bounded in bytes (`maxBytes`, oldest first); a client whose missed packets were dropped is not
 *   recovered: it gets a new connection and catches up from history, as after the window;
 * - restores a session as often as its pid and offset are presented: several connections became one socket id,
 *   and the room kept a member that never left. Here a session is handed out once;
 * - keeps /news items too, which are at-most-once by design and arrive by the hundred per second. Here only
 *   /chat broadcasts are kept;
 * - keeps (and encodes) a broadcast that reaches nobody: a `read` to the other tabs of a person who has one, at a
 *   thousand a second, filled the buffer for nothing. Here a broadcast that no connected socket receives and no
 *   session kept for recovery could be sent again is dropped at once.
 */
export class ChatRecoveryAdapter extends Adapter {
  protected readonly maxBytes: number = RECOVERY_BUFFER_BYTES;
  protected readonly gate: RecoveryGate = new RecoveryGate();
  private readonly sessions = new Map<string, SessionToPersist & { disconnectedAt: number }>();
  /** The rooms of `sessions`, each with how many of them were in it. */
  private readonly recoverableRooms = new Map<string, number>();
  private buffer: RecoveryBuffer | undefined;
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private nextId = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(nsp: Namespace) {
    super(nsp);
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  private get windowMs(): number {
    return (this.nsp as Namespace).server._opts.connectionStateRecovery?.maxDisconnectionDuration ?? 0;
  }

  /** Created on first use: `maxBytes` of a subclass is set after this constructor has run. */
  private get kept(): RecoveryBuffer {
    return (this.buffer ??= new RecoveryBuffer(this.maxBytes));
  }

  /** What the kept broadcasts take now, as counted against `maxBytes`. */
  get keptBytes(): number {
    return this.buffer?.bytes ?? 0;
  }

  override persistSession(session: SessionToPersist): void {
    this.forgetSession(session.pid);
    this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
    for (const room of session.rooms) this.recoverableRooms.set(room, (this.recoverableRooms.get(room) ?? 0) + 1);
  }

  /** Refusals reject: Socket.IO then makes a new connection (and logs the reason at debug level). */
  override restoreSession(pid: string, offset: string): Promise<Session> {
    const session = this.sessions.get(pid);
    this.forgetSession(pid); // once: a replay of the same pid and offset gets a new connection
    if (!session || session.disconnectedAt + this.windowMs < Date.now()) return refuse('no such session');
    const missed = this.kept.after(offset);
    if (!missed) return refuse('missed packets no longer kept'); // for space or time: resync through history
    const { disconnectedAt: _, ...restored } = session;
    const missedPackets = missed.filter((p) => isFor(session.rooms, p)).map((p) => p.data);
    return this.gate.pass({ ...restored, missedPackets });
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const { type, id, data } = packet as { type: number; id?: number; data: unknown[] };
    // Packets with an ack cannot be replayed (the callback is gone), volatile ones may be dropped anyway.
    const keep =
      (this.nsp as Namespace).name === '/chat' && type === EVENT_PACKET && id === undefined && !opts.flags?.volatile;
    if (!this.reachesConnectedSocket(opts) && !(keep && this.mayBeRecovered(opts))) return;
    if (keep) {
      const offset = `${this.idPrefix}${(this.nextId++).toString(36)}`;
      data.push(offset); // the offset goes last, so the client knows the last packet it has
      const except = opts.except?.size ? [...opts.except] : NO_ROOMS;
      this.kept.push({ id: offset, rooms: [...opts.rooms], except, data, emittedAt: Date.now() });
    }
    super.broadcast(packet, opts);
  }

  override close(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Whether a connected socket of this process is in one of the target rooms (all of them when there are none)
   * and in none of the excluded ones. Stops at the first: in a room of a thousand, that is the first member.
   */
  private reachesConnectedSocket(opts: BroadcastOptions): boolean {
    const excluded = (sid: string) => {
      for (const room of opts.except ?? NO_ROOMS) if (this.rooms.get(room)?.has(sid)) return true;
      return false;
    };
    if (opts.rooms.size === 0) {
      for (const sid of this.sids.keys()) if (!excluded(sid)) return true;
      return false;
    }
    for (const room of opts.rooms) for (const sid of this.rooms.get(room) ?? NO_ROOMS) if (!excluded(sid)) return true;
    return false;
  }

  /** Whether a session kept for recovery was in a target room (excluded rooms are not looked at: it may be kept). */
  private mayBeRecovered(opts: BroadcastOptions): boolean {
    if (opts.rooms.size === 0) return this.sessions.size > 0;
    for (const room of opts.rooms) if (this.recoverableRooms.has(room)) return true;
    return false;
  }

  private forgetSession(pid: string): void {
    const session = this.sessions.get(pid);
    if (!session) return;
    this.sessions.delete(pid);
    for (const room of session.rooms) {
      const left = (this.recoverableRooms.get(room) ?? 0) - 1;
      if (left > 0) this.recoverableRooms.set(room, left);
      else this.recoverableRooms.delete(room);
    }
  }

  private sweep(): void {
    const threshold = Date.now() - this.windowMs;
    for (const [pid, session] of this.sessions) if (session.disconnectedAt < threshold) this.forgetSession(pid);
    this.buffer?.dropOlderThan(threshold);
  }
}

/** The adapter class with its own byte budget (RECOVERY_BUFFER_BYTES) and the gate of what it restores. */
export function chatRecoveryAdapter(maxBytes: number, gate: RecoveryGate): typeof ChatRecoveryAdapter {
  return class extends ChatRecoveryAdapter {
    protected override readonly maxBytes = maxBytes;
    protected override readonly gate = gate;
  };
}

const refuse = (reason: string): Promise<never> => Promise.reject(new Error(`session not recovered: ${reason}`));

const NO_ROOMS: readonly string[] = Object.freeze([]);

/** Socket.IO's rule: a packet is for a session in one of its target rooms and in none of the excluded ones. */
function isFor(rooms: string[], packet: KeptPacket): boolean {
  const included = packet.rooms.length === 0 || rooms.some((room) => packet.rooms.includes(room));
  return included && rooms.every((room) => !packet.except.includes(room));
}
