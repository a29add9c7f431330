import type { Namespace } from 'socket.io';
import { Adapter, type BroadcastOptions, SessionAwareAdapter } from 'socket.io-adapter';

type Packet = Parameters<Adapter['broadcast']>[0];

/**
 * Socket.IO's connection-state-recovery adapter keeps every broadcast for the recovery window so a
 * reconnecting client can be sent what it missed. That is the point for /chat messages, but /news items
 * are at-most-once by design and arrive by the hundred per second: keeping them would cost memory for
 * nothing. So only /chat broadcasts are kept; every other namespace broadcasts as the plain adapter does.
 */
export class ChatRecoveryAdapter extends SessionAwareAdapter {
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    if ((this.nsp as Namespace).name === '/chat') super.broadcast(packet, opts);
    else Adapter.prototype.broadcast.call(this, packet, opts);
  }
}
