/**
 * What `room:read` costs the send path (issue 22): the stored-send ack p99 at SENDS_PER_S, alone and with
 * `room:read` at READS_PER_S beside it, in the same run, on SQLite and then PostgreSQL. Phases alternate (sends
 * alone, sends and reads, …) so that a drift of the shared machine hits both alike. Open loop: requests leave on a
 * 10 ms ticker whatever the acks do. The senders run in this process, beside the one product server it starts;
 * the readers in a process of their own (bench/read-load-readers.ts), so that this one's event loop, where each
 * ack is timed, is not also busy with the reads. A third phase sends `room:members` (an acked request that
 * touches no database) at READS_PER_S instead: what any 1,000 more requests a second cost, against which
 * `room:read` is read.
 * Usage: `npm run bench:read-load` (`-- <phase seconds> <stores> <rounds>`: default 8, `sqlite,postgres`, 2).
 */
import { startPostgres } from '../test/pg/postgres.js';
import { connectNamed as connect, forMs, openLoop } from './lib/chat-load.js';
import { type Histogram, newHistogram, summarize } from './lib/hist.js';
import { type ServerUnderTest, Worker, startServer } from './lib/procs.js';

const PHASE_MS = Number(process.argv[2] ?? 8) * 1000;
const STORES = (process.argv[3] ?? 'sqlite,postgres').split(',');
const SENDS_PER_S = 1000;
const READS_PER_S = 1000;
/** A session may make 20 sends and 20 requests per 2 s (MESSAGE_LIMIT, REQUEST_LIMIT): 5/s each stays well inside. */
const PER_CLIENT_PER_S = 5;
/** Messages in the readers' room, so that reads move markers over real rows. */
const READ_ROOM_MESSAGES = 2000;
const READ_ROOM = 'reads';
/** Each kind of phase runs this many times, alternating with the others. */
const ROUNDS = Number(process.argv[4] ?? 2);

async function probe(server: ServerUnderTest, store: string): Promise<void> {
  const senders = await Promise.all(
    Array.from({ length: SENDS_PER_S / PER_CLIENT_PER_S }, (_, n) => connect(server.url, `sender-${n}`)),
  );
  for (const [n, sender] of senders.entries()) await sender.emitWithAck('room:join', `alone-${n}`);
  const readers = new Worker(`readers-${store}`, 'bench/read-load-readers.ts');
  await readers.call('connectReaders', { url: server.url, count: READS_PER_S / PER_CLIENT_PER_S, room: READ_ROOM });
  await readers.call('fillRoom', { room: READ_ROOM, count: READ_ROOM_MESSAGES });

  const refused = new Map<string, number>();
  const countRefused = (counts: Record<string, number>) => {
    for (const [code, n] of Object.entries(counts)) refused.set(code, (refused.get(code) ?? 0) + n);
  };
  const send = (latencies: Histogram) => async (i: number) => {
    const n = i % senders.length;
    const sent = performance.now();
    const ack = await senders[n]!.emitWithAck('message:send', { room: `alone-${n}`, text: `s ${i}` });
    if (ack.ok) latencies.recordValue(Math.max(1, Math.round((performance.now() - sent) * 1000)));
    else countRefused({ [ack.error.code]: 1 });
  };
  const [alone, withReads, withMembers] = [newHistogram(), newHistogram(), newHistogram()];
  /** The server's CPU (ms) in each kind of phase, summed over the rounds. */
  const cpuMs = { alone: 0, read: 0, members: 0 };
  const timed = async (phase: keyof typeof cpuMs, run: () => Promise<void>) => {
    const before = server.sample().cpuMs;
    await run();
    cpuMs[phase] += server.sample().cpuMs - before;
  };
  const beside = async (latencies: Histogram, request: 'read' | 'members') => {
    const [, refusals] = await Promise.all([
      openLoop(SENDS_PER_S, forMs(PHASE_MS), send(latencies)),
      readers.call<Record<string, number>>('requestLoad', {
        request,
        room: READ_ROOM,
        perSecond: READS_PER_S,
        durationMs: PHASE_MS,
      }),
    ]);
    countRefused(refusals);
  };
  for (let round = 0; round < ROUNDS; round++) {
    await timed('alone', () => openLoop(SENDS_PER_S, forMs(PHASE_MS), send(alone)));
    await timed('read', () => beside(withReads, 'read'));
    await timed('members', () => beside(withMembers, 'members'));
  }
  for (const client of senders) client.disconnect();
  await readers.stop();
  const [a, r, m] = [summarize(alone), summarize(withReads), summarize(withMembers)];
  const change = (b: typeof a) =>
    `${Math.abs((b.p99Ms / a.p99Ms - 1) * 100).toFixed(0)}% ${b.p99Ms >= a.p99Ms ? 'higher' : 'lower'}`;
  console.log(
    `${store}: stored-send ack p50/p99 alone ${a.p50Ms}/${a.p99Ms} ms (${a.count} acks); ` +
      `with room:read at ${READS_PER_S}/s ${r.p50Ms}/${r.p99Ms} ms (${r.count} acks), p99 ${change(r)}; ` +
      `with room:members at ${READS_PER_S}/s ${m.p50Ms}/${m.p99Ms} ms (${m.count} acks), p99 ${change(m)}` +
      `; server CPU ${cpuShares(cpuMs)}` +
      (refused.size ? `; refused ${JSON.stringify(Object.fromEntries(refused))}` : ''),
  );
}

/** Each phase's server CPU as a share of a core, and what a request beside the sends added, in µs. */
function cpuShares(cpuMs: { alone: number; read: number; members: number }): string {
  const phaseMs = ROUNDS * PHASE_MS;
  const share = (ms: number) => `${((ms / phaseMs) * 100).toFixed(0)}%`;
  const perRequest = (ms: number) =>
    `${(((ms - cpuMs.alone) * 1000) / (READS_PER_S * (phaseMs / 1000))).toFixed(0)} µs`;
  return (
    `alone ${share(cpuMs.alone)} of a core, with room:read ${share(cpuMs.read)} (${perRequest(cpuMs.read)} a read), ` +
    `with room:members ${share(cpuMs.members)} (${perRequest(cpuMs.members)} a request)`
  );
}

if (STORES.includes('sqlite')) {
  const sqlite = await startServer('product');
  try {
    await probe(sqlite, 'SQLite');
  } finally {
    await sqlite.stop();
  }
}
if (STORES.includes('postgres')) {
  const pg = await startPostgres({ durable: true });
  const postgres = await startServer('product', [], { DATABASE_URL: pg.url });
  try {
    await probe(postgres, 'PostgreSQL');
  } finally {
    await postgres.stop();
    await pg.destroy();
  }
}
