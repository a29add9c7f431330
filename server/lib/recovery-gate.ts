import type { Session } from 'socket.io-adapter';

/** A check of a restored /chat session: it returns what may be handed back (fewer rooms, fewer packets). */
export type RecoveryCheck = (session: Session) => Promise<Session>;

/**
 * Where the /chat feature checks a session that connection state recovery is about to restore. Socket.IO sends the
 * missed packets in the Socket's constructor, before any middleware or handler runs, so a room the person may no
 * longer see (a kick while its connection was cut) has to be taken out here, in the adapter's `restoreSession`.
 * The composition root gives the gate to the adapter; `registerChat` sets the check. A check that fails rejects
 * the restore, and the client gets a new connection (it then catches up from history, as after the window).
 */
export class RecoveryGate {
  private check: RecoveryCheck = (session) => Promise.resolve(session);

  use(check: RecoveryCheck): void {
    this.check = check;
  }

  pass(session: Session): Promise<Session> {
    return this.check(session);
  }
}
