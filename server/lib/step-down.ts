import type { Server } from 'socket.io';
import type { EngineConnection } from './engine-internals.js';
import type { ConnectionHooks } from './connection-hooks.js';
import type { Membership } from './membership.js';

/**
 * A node presumed dead steps down: every connection is cut (a cut, so sessions keep their recovery window and
 * clients resume on another node). A node paused past its lease (VM freeze, long GC, SIGSTOP) may wake to read
 * what its clients sent meanwhile, after the others reaped it and gave its nicks away: every packet is checked
 * first, synchronously, and one that arrives once the lease may have lapsed is dropped as the node steps down.
 * Dropping relies on engine.io dispatching on the `type` of the object it emitted (see one-socket-per-namespace).
 */
export function stepDownWhenPresumedDead(io: Server, hooks: ConnectionHooks, membership: Membership): void {
  const open = new Set<EngineConnection>();
  membership.onLeaseLost(() => {
    for (const conn of open) conn.close();
  });
  hooks.onClose((conn) => open.delete(conn));
  hooks.onPacket((_conn, packet) => {
    if (!membership.stillMember()) packet.type = 'noop';
  });
  io.engine.on('connection', (conn: EngineConnection) => open.add(conn));
}
