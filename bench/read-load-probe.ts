/**
 * What `room:read` costs the send path (issue 22): the stored-send ack p99 at SENDS_PER_S, alone and with
 * `room:read` at READS_PER_S beside it, in the same run, on SQLite and then PostgreSQL. Phases alternate (sends
 * alone, sends and reads, …) so that a drift of the shared machine hits both alike. Open loop: requests leave on a
 * 10 ms ticker whatever the acks do. The clients run in this process, beside the one product server it starts.
 * A third phase sends `room:members` (an acked request that touches no database) at READS_PER_S instead: what any
 * 1,000 more requests a second cost this process and the probe's clients, against which `room:read` is read.
 * Usage: `npm run bench:read-load` (`-- <phase seconds>`, default 8).
 */
import { startPostgres } from '../test/pg/postgres.js';
import { connectNamed as connect, forMs, openLoop } from './lib/chat-load.js';
import { type Histogram, newHistogram, summarize } from './lib/hist.js';
import { type ServerUnderTest, startServer } from './lib/procs.js';

const PHASE_MS = Number(process.argv[2] ?? 8) * 1000;
const SENDS_PER_S = 1000;
const READS_PER_S = 1000;
/** A session may make 20 sends and 20 requests per 2 s (MESSAGE_LIMIT, REQUEST_LIMIT): 5/s each stays well inside. */
const PER_CLIENT_PER_S = 5;
/** Messages in the readers' room, so that reads move markers over real rows; 1 in 50 mentions a reader. */
const READ_ROOM_MESSAGES = 2000;
/** Reads mark one of the latest messages read, as a client reading along does (a few unread behind it). */
const READ_WINDOW = 50;

async function probe(server: ServerUnderTest, store: string): Promise<void> {
  const senders = await Promise.all(
    Array.from({ length: SENDS_PER_S / PER_CLIENT_PER_S }, (_, n) => connect(server.url, `sender-${n}`)),
  );
  for (const [n, sender] of senders.entries()) await sender.emitWithAck('room:join', `alone-${n}`);
  const readers = await Promise.all(
    Array.from({ length: READS_PER_S / PER_CLIENT_PER_S }, (_, n) => connect(server.url, `reader-${n}`)),
  );
  for (const reader of readers) await reader.emitWithAck('room:join', 'reads');
  const ids: number[] = [];
  for (let i = 0; i < READ_ROOM_MESSAGES; i++) {
    const ack = await readers[i % readers.length]!.emitWithAck('message:send', {
      room: 'reads',
      text: `m ${i} @reader-1`,
    });
    if (ack.ok) ids.push(ack.id);
  }

  const send = (latencies: Histogram) => async (i: number) => {
    const n = i % senders.length;
    const sent = performance.now();
    const ack = await senders[n]!.emitWithAck('message:send', { room: `alone-${n}`, text: `s ${i}` });
    if (ack.ok) latencies.recordValue(Math.max(1, Math.round((performance.now() - sent) * 1000)));
    else refused.set(ack.error.code, (refused.get(ack.error.code) ?? 0) + 1);
  };
  const read = async (i: number) => {
    const ack = await readers[i % readers.length]!.emitWithAck('room:read', {
      room: 'reads',
      id: ids[ids.length - 1 - (i % READ_WINDOW)]!,
    });
    if (!ack.ok) refused.set(ack.error.code, (refused.get(ack.error.code) ?? 0) + 1);
  };
  const members = async (i: number) => {
    const ack = await readers[i % readers.length]!.emitWithAck('room:members', 'reads');
    if (!ack.ok) refused.set(ack.error.code, (refused.get(ack.error.code) ?? 0) + 1);
  };
  const refused = new Map<string, number>();
  const [alone, withReads, withMembers] = [newHistogram(), newHistogram(), newHistogram()];
  const beside = async (latencies: Histogram, request: (i: number) => Promise<void>) => {
    const phase = forMs(PHASE_MS);
    await Promise.all([openLoop(SENDS_PER_S, phase, send(latencies)), openLoop(READS_PER_S, phase, request)]);
  };
  for (let round = 0; round < 2; round++) {
    await openLoop(SENDS_PER_S, forMs(PHASE_MS), send(alone));
    await beside(withReads, read);
    await beside(withMembers, members);
  }
  for (const client of [...senders, ...readers]) client.disconnect();
  const [a, r, m] = [summarize(alone), summarize(withReads), summarize(withMembers)];
  const change = (b: typeof a) =>
    `${Math.abs((b.p99Ms / a.p99Ms - 1) * 100).toFixed(0)}% ${b.p99Ms >= a.p99Ms ? 'higher' : 'lower'}`;
  console.log(
    `${store}: stored-send ack p50/p99 alone ${a.p50Ms}/${a.p99Ms} ms (${a.count} acks); ` +
      `with room:read at ${READS_PER_S}/s ${r.p50Ms}/${r.p99Ms} ms (${r.count} acks), p99 ${change(r)}; ` +
      `with room:members at ${READS_PER_S}/s ${m.p50Ms}/${m.p99Ms} ms (${m.count} acks), p99 ${change(m)}` +
      (refused.size ? `; refused ${JSON.stringify(Object.fromEntries(refused))}` : ''),
  );
}

const sqlite = await startServer('product');
try {
  await probe(sqlite, 'SQLite');
} finally {
  await sqlite.stop();
}
const pg = await startPostgres({ durable: true });
const postgres = await startServer('product', [], { DATABASE_URL: pg.url });
try {
  await probe(postgres, 'PostgreSQL');
} finally {
  await postgres.stop();
  await pg.destroy();
}
