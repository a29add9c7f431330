/**
 * The readers of bench/read-load-probe.ts, in a process of their own: the probe's sender process then times its
 * acks on an event loop that handles only the sends, so what it measures is the server's cost of the reads, not
 * its own of sending them. Driven over IPC (procs.ts `Worker`).
 */
import { type ChatLoadClient, connectNamed as connect, forMs, openLoop } from './lib/chat-load.js';
import { serveCalls } from './lib/serve-calls.js';

/** Reads mark one of the latest messages read, as a client reading along does (a few unread behind it). */
const READ_WINDOW = 50;

let readers: ChatLoadClient[] = [];
/** Ids of the messages stored in the readers' room, oldest first. */
const ids: number[] = [];

/** Connects `count` readers (nicks `reader-<n>`) into `room`. */
async function connectReaders(p: { url: string; count: number; room: string }): Promise<void> {
  readers = await Promise.all(Array.from({ length: p.count }, (_, n) => connect(p.url, `reader-${n}`)));
  for (const reader of readers) await reader.emitWithAck('room:join', p.room);
}

/** Stores `count` messages in `room` from the readers, each mentioning reader-1. */
async function fillRoom(p: { room: string; count: number }): Promise<void> {
  for (let i = 0; i < p.count; i++) {
    const ack = await readers[i % readers.length]!.emitWithAck('message:send', {
      room: p.room,
      text: `m ${i} @reader-1`,
    });
    if (ack.ok) ids.push(ack.id);
  }
}

/**
 * `room:read` (or, as a control, `room:members`: acked, no database) at `perSecond` for `durationMs`, open loop;
 * answers with the refusals by code.
 */
async function requestLoad(p: {
  request: 'read' | 'members';
  room: string;
  perSecond: number;
  durationMs: number;
}): Promise<Record<string, number>> {
  const refused: Record<string, number> = {};
  await openLoop(p.perSecond, forMs(p.durationMs), async (i) => {
    const reader = readers[i % readers.length]!;
    const ack =
      p.request === 'read'
        ? await reader.emitWithAck('room:read', { room: p.room, id: ids[ids.length - 1 - (i % READ_WINDOW)]! })
        : await reader.emitWithAck('room:members', p.room);
    if (!ack.ok) refused[ack.error.code] = (refused[ack.error.code] ?? 0) + 1;
  });
  return refused;
}

function disconnect(): void {
  for (const reader of readers) reader.disconnect();
  readers = [];
  ids.length = 0;
}

serveCalls({ connectReaders, fillRoom, requestLoad, disconnect }, disconnect);
