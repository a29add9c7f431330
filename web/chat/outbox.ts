import type { ErrorBody } from '../../server/protocol/events.js';

export type OutboxStatus = 'queued' | 'sending' | 'failed';

/** A message the user sent that the server has not confirmed yet. */
export interface OutboxEntry {
  clientId: string;
  room: string;
  text: string;
  status: OutboxStatus;
  /** Why the server refused it (or `TIMEOUT` when it never answered). */
  error?: ErrorBody | { code: 'TIMEOUT'; message: string };
}

/** What one attempt came to. */
export type SendOutcome =
  | { kind: 'stored'; id: number; ts: number }
  | { kind: 'rejected'; error: ErrorBody }
  | { kind: 'no-answer' }
  | { kind: 'offline' };

export interface OutboxTransport {
  /** True when sends can go out: connected, nick registered, rooms rejoined. */
  ready(): boolean;
  send(entry: OutboxEntry): Promise<SendOutcome>;
  stored(entry: OutboxEntry, id: number, ts: number): void;
  changed(): void;
}

/** Attempts per message while connected before it is shown as failed; the clientId makes repeats harmless. */
export const MAX_ATTEMPTS = 4;

export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Messages leave one at a time, in the order they were typed, each with its clientId. One at a time
 * because a retried first message must not land after a second one. Offline, they wait as `queued`.
 */
export class Outbox {
  readonly entries: OutboxEntry[] = [];
  private draining = false;

  constructor(private readonly transport: OutboxTransport) {}

  /** Messages left unsent by an earlier page (same clientIds, so a copy the server already has is not stored twice). */
  restore(unsent: readonly { clientId: string; room: string; text: string }[]): void {
    if (this.entries.length > 0) return;
    for (const { clientId, room, text } of unsent) this.entries.push({ clientId, room, text, status: 'queued' });
    if (unsent.length > 0) this.transport.changed();
  }

  add(room: string, text: string): OutboxEntry {
    const entry: OutboxEntry = { clientId: newClientId(), room, text, status: 'queued' };
    this.entries.push(entry);
    this.transport.changed();
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
    this.transport.changed();
  }

  retry(clientId: string): void {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry || entry.status !== 'failed') return;
    entry.status = 'queued';
    delete entry.error;
    this.transport.changed();
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
      while (this.transport.ready() && (entry = this.entries.find((e) => e.status === 'queued'))) {
        if (!(await this.attempt(entry))) break;
      }
    } finally {
      this.draining = false;
    }
  }

  /** False when the connection went away; the entry stays queued for the next flush. */
  private async attempt(entry: OutboxEntry): Promise<boolean> {
    entry.status = 'sending';
    this.transport.changed();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcome = await this.transport.send(entry);
      if (!this.entries.includes(entry)) return true; // confirmed by its broadcast meanwhile
      if (outcome.kind === 'stored') {
        this.transport.stored(entry, outcome.id, outcome.ts);
        this.confirm(entry.clientId);
        return true;
      }
      if (outcome.kind === 'rejected') return this.fail(entry, outcome.error);
      if (outcome.kind === 'offline' || !this.transport.ready()) {
        entry.status = 'queued';
        this.transport.changed();
        return false;
      }
    }
    return this.fail(entry, { code: 'TIMEOUT', message: 'no answer from the server' });
  }

  private fail(entry: OutboxEntry, error: NonNullable<OutboxEntry['error']>): true {
    entry.status = 'failed';
    entry.error = error;
    this.transport.changed();
    return true;
  }
}
