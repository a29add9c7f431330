/**
 * The readers of bench/read-load-probe.ts, in a process of their own: the probe's sender process then times its
 * acks on an event loop that handles only the sends, so what it measures is the server's cost of the reads, not
 * its own of sending them. Driven over IPC (procs.ts `Worker`).
 */
import { type ChatLoadClient, connectNamed as connect, forMs, openLoop } from './lib/chat-load.js';
import { serveCalls } from './lib/serve-calls.js';

/**
 * Each reader starts this many messages behind the newest and each of its reads marks the next message read, as a
 * client reading along does: the web client never sends an id at or below one it sent (web/chat/read-sync.ts), so
 * every read moves a marker. Once at the newest, a reader's reads repeat it.
 */
const START_BEHIND = 100;

let readers: ChatLoadClient[] = [];
/** Ids of the messages stored in the readers' room, oldest first. */
const ids: number[] = [];
/** Per reader, the index in `ids` of the message its last read marked. */
let cursors: number[] = [];

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
  cursors = readers.map(() => Math.max(0, ids.length - 1 - START_BEHIND));
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
    const n = i % readers.length;
    const reader = readers[n]!;
    const ack =
      p.request === 'read'
        ? await reader.emitWithAck('room:read', { room: p.room, id: ids[nextRead(n)]! })
        : await reader.emitWithAck('room:members', p.room);
    if (!ack.ok) refused[ack.error.code] = (refused[ack.error.code] ?? 0) + 1;
  });
  return refused;
}

/** The index in `ids` of reader n's next read: one message further, up to the newest. */
function nextRead(n: number): number {
  cursors[n] = Math.min(ids.length - 1, cursors[n]! + 1);
  return cursors[n];
}

function disconnect(): void {
  for (const reader of readers) reader.disconnect();
  readers = [];
  ids.length = 0;
  cursors = [];
}

serveCalls({ connectReaders, fillRoom, requestLoad, disconnect }, disconnect);
