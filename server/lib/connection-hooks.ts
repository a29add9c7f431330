import type { Server } from 'socket.io';
import type { EngineConnection } from './engine-internals.js';

/**
 * An Engine.IO packet as engine.io hands it to `packet` listeners. It then dispatches on `type` of this same
 * object, so a guard drops a packet by setting `type` to `'noop'` (engine.io is pinned exactly;
 * test/chat/one-socket-per-namespace.test.ts goes red if that changes).
 */
export interface EnginePacket {
  type: string;
  data?: unknown;
}

export type PacketHook = (conn: EngineConnection, packet: EnginePacket) => void;
export type CloseHook = (conn: EngineConnection, reason: string) => void;

/**
 * One `packet` and one `close` listener on every Engine.IO connection for all the guards, calling their hooks in
 * the order they were added. With a listener per guard, Node kept each event's listeners in an array and grew it
 * to 19 slots at the third: about 300 bytes a connection for the two events (issue 24). Hooks are added at
 * composition (app.ts), before the first connection.
 */
export class ConnectionHooks {
  private readonly packetHooks: PacketHook[] = [];
  private readonly closeHooks: CloseHook[] = [];

  constructor(io: Server) {
    const { packetHooks, closeHooks } = this;
    // Shared by every connection (`this` is the connection): no closure per connection. Engine.IO emits `close` once.
    function onPacket(this: EngineConnection, packet: EnginePacket): void {
      for (const hook of packetHooks) hook(this, packet);
    }
    function onClose(this: EngineConnection, reason: string): void {
      for (const hook of closeHooks) hook(this, reason);
    }
    io.engine.on('connection', (conn: EngineConnection) => {
      conn.on('packet', onPacket);
      conn.on('close', onClose);
    });
  }

  /** `hook` sees every packet a client sends, before engine.io dispatches it. */
  onPacket(hook: PacketHook): void {
    this.packetHooks.push(hook);
  }

  /** `hook` runs once when a connection closes, with engine.io's reason. */
  onClose(hook: CloseHook): void {
    this.closeHooks.push(hook);
  }
}
