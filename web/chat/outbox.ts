import type { Message } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { ACK_TIMEOUT_MS, type ClientError, NO_ANSWER, requestWithin } from '../connection/request.js';
import type { Session, UnsentMessage } from './session.js';

export type OutboxStatus = 'queued' | 'sending' | 'failed';

/** A message the user sent that the server has not confirmed yet. */
export interface OutboxEntry extends UnsentMessage {
  status: OutboxStatus;
  /** Why the server refused it (or `TIMEOUT` when it never answered). */
  error?: ClientError;
}

export interface OutboxDeps {
  /** The socket while messages can go out (connected, nick registered, rooms rejoined), else undefined. */
  socket(): ChatSocket | undefined;
  /** The server stored a message (its ack): shown the same way as a broadcast, which the id dedupes. */
  stored(message: Message): void;
  /** Something the view shows changed. */
  changed(): void;
}

/** Attempts per message while connected before it is shown as failed; the clientId makes repeats harmless. */
export const MAX_ATTEMPTS = 4;

function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Owns a message from the composer until the server has it: sends it with `message:send`, repeats an
 * unanswered send with the same clientId, and settles it on the ack or on its broadcast, whichever comes
 * first. Messages leave one at a time, in the order they were typed, because a retried first message must
 * not land after a second one. Offline, they wait as `queued`; the unsent ones are kept in the session.
 */
export class Outbox {
  readonly entries: OutboxEntry[] = [];
  private draining = false;

  constructor(
    private readonly session: Session,
    private readonly deps: OutboxDeps,
    private readonly ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {}

  /** Messages left unsent by an earlier page (same clientIds, so a copy the server already has is not stored twice). */
  restore(): void {
    if (this.entries.length > 0 || this.session.outbox.length === 0) return;
    for (const { clientId, room, text } of this.session.outbox)
      this.entries.push({ clientId, room, text, status: 'queued' });
    this.deps.changed();
  }

  /** `text` is sent as it is: the composer trimmed it. */
  add(room: string, text: string): OutboxEntry {
    const entry: OutboxEntry = { clientId: newClientId(), room, text, status: 'queued' };
    this.entries.push(entry);
    this.save();
    void this.flush();
    return entry;
  }

  forRoom(room: string): OutboxEntry[] {
    return this.entries.filter((entry) => entry.room === room);
  }

  /** The server's broadcast of our own message can arrive before the ack; either one settles the entry. */
  confirm(clientId: string | undefined): void {
    const index = this.entries.findIndex((entry) => entry.clientId === clientId);
    if (index === -1) return;
    this.entries.splice(index, 1);
    this.save();
  }

  retry(clientId: string): void {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry || entry.status !== 'failed') return;
    entry.status = 'queued';
    delete entry.error;
    this.deps.changed();
    void this.flush();
  }

  discard(clientId: string): void {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (entry?.status === 'failed') this.confirm(clientId);
  }

  /** Sends queued entries in order until done or offline. Safe to call any time. */
  async flush(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      let entry: OutboxEntry | undefined;
      while (this.deps.socket() && (entry = this.entries.find((e) => e.status === 'queued'))) {
        if (!(await this.attempt(entry))) break;
      }
    } finally {
      this.draining = false;
    }
  }

  /** False when the connection went away; the entry stays queued for the next flush. */
  private async attempt(entry: OutboxEntry): Promise<boolean> {
    this.setStatus(entry, 'sending');
    const { room, text, clientId } = entry;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const socket = this.deps.socket();
      if (!socket) return this.requeue(entry);
      const res = await requestWithin(this.ackTimeoutMs, socket, 'message:send', { room, text, clientId });
      if (!this.entries.includes(entry)) return true; // confirmed by its broadcast meanwhile
      if (res?.ok) {
        this.confirm(clientId);
        const nick = this.session.nick;
        if (nick !== undefined) this.deps.stored({ id: res.id, ts: res.ts, room, nick, text, clientId });
        return true;
      }
      if (res) return this.fail(entry, res.error);
    }
    return this.deps.socket() ? this.fail(entry, NO_ANSWER) : this.requeue(entry);
  }

  private setStatus(entry: OutboxEntry, status: OutboxStatus): true {
    entry.status = status;
    this.deps.changed();
    return true;
  }

  private requeue(entry: OutboxEntry): false {
    this.setStatus(entry, 'queued');
    return false;
  }

  private fail(entry: OutboxEntry, error: ClientError): true {
    entry.error = error;
    return this.setStatus(entry, 'failed');
  }

  /** The unsent messages are what the session keeps; statuses are not worth a write. */
  private save(): void {
    this.session.update({ outbox: this.entries.map(({ clientId, room, text }) => ({ clientId, room, text })) });
    this.deps.changed();
  }
}
