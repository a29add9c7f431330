import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'socket.io';
import { clientAddress } from './client-address.js';
import type { EngineConnection } from './engine-internals.js';
import type { ConnectionHooks } from './connection-hooks.js';

/** What a refused handshake answers, on both transports: Engine.IO's error JSON (code 4 is its "Forbidden"). */
export const LIMIT_EXCEEDED_BODY = JSON.stringify({ code: 4, message: 'LIMIT_EXCEEDED' });

/** Connections per address on every node of a cluster (stores/redis/address-connections.ts). */
export interface SharedAddressCounts {
  /** Open connections of the address on all nodes. */
  total(address: string): Promise<number>;
  /** Counts one more on this node; resolves to the new total. */
  opened(address: string): Promise<number>;
  closed(address: string): Promise<void>;
}

/** Without shared counts nothing is counted there: one settled promise for every connection, not one each. */
const NOT_COUNTED = Promise.resolve(false);

/**
 * Caps the Engine.IO connections of one client address (MAX_CONNECTIONS_PER_IP): on this process, and with
 * `shared` counts on every node of a cluster. A handshake over the cap is refused with 403 and
 * LIMIT_EXCEEDED_BODY, through `allowRequest`, which Engine.IO asks for both transports (see `refuseUpgrade`).
 * When Redis cannot be asked, the cap of this process still holds.
 */
export class AddressConnections {
  private readonly open = new Map<string, number>();
  /** Each tracked connection's address, and whether the shared counts counted it in (see `track`). */
  private readonly tracked = new WeakMap<EngineConnection, { address: string; counted: Promise<boolean> }>();

  constructor(
    private readonly max: number,
    private readonly trustedProxies: number,
    private readonly shared?: SharedAddressCounts,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** This process's open connections per address. */
  get counts(): ReadonlyMap<string, number> {
    return this.open;
  }

  /** For `allowRequest`: whether the request's address is under the cap, here and on the other nodes. */
  async admits(req: IncomingMessage): Promise<boolean> {
    const address = clientAddress(req, this.trustedProxies);
    if ((this.open.get(address) ?? 0) >= this.max) return false;
    if (!this.shared) return true;
    try {
      return (await this.shared.total(address)) < this.max;
    } catch (err) {
      this.onError(err);
      return true;
    }
  }

  /**
   * Counts each connection from its handshake to its close. Handshakes admitted at the same time (on this node
   * or on several) can overshoot, since the check and the count are apart: those are closed at once.
   */
  track(io: Server, hooks: ConnectionHooks): void {
    // What a connection needs counted out is kept beside it: no closure per connection (issue 24).
    hooks.onClose((conn) => this.countOut(conn));
    io.engine.on('connection', (conn: EngineConnection) => {
      if (!conn.request) return;
      const address = clientAddress(conn.request, this.trustedProxies);
      const count = (this.open.get(address) ?? 0) + 1;
      this.open.set(address, count);
      const counted = this.shared ? this.countShared(this.shared, address, () => conn.close()) : NOT_COUNTED;
      this.tracked.set(conn, { address, counted });
      if (count > this.max) conn.close();
    });
  }

  private countOut(conn: EngineConnection): void {
    const entry = this.tracked.get(conn);
    if (!entry) return;
    const { address, counted } = entry;
    const left = (this.open.get(address) ?? 1) - 1;
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
    // Counted out only once counted in (a script Redis had to be sent again must not swap the two), and only if
    // it was.
    void counted.then((wasCounted) => (wasCounted ? this.shared?.closed(address) : undefined)).catch(this.onError);
  }

  /** Counts a connection in the shared counts; `close` when the total is over the cap. Whether it was counted. */
  private async countShared(shared: SharedAddressCounts, address: string, close: () => void): Promise<boolean> {
    try {
      if ((await shared.opened(address)) > this.max) close();
      return true;
    } catch (err) {
      this.onError(err);
      return false;
    }
  }
}

/**
 * Answers a refused WebSocket handshake with 403 and LIMIT_EXCEEDED_BODY, as a refused polling handshake gets:
 * Engine.IO would answer it with a 400. It then finds the socket no longer writable and writes nothing.
 */
export function refuseUpgrade(socket: Duplex): void {
  socket.end(
    'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(LIMIT_EXCEEDED_BODY)}\r\n\r\n${LIMIT_EXCEEDED_BODY}`,
  );
  socket.destroy();
}
