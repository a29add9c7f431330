/**
 * What the retention purge costs the send path (issue 23): the stored-send ack p50/p99 of a steady stream of sends
 * without a purge, then while the sweep purges ROWS old messages, then without again, on SQLite and then
 * PostgreSQL (after a 5 s warm-up that is not counted). The old rows are put straight into the database before the server starts (one bulk INSERT), in
 * a room kept forever; the purge starts when the admin API gives that room a 30-day retention. Open loop: sends
 * leave on a 10 ms ticker whatever the acks do; the clients run in this process, beside the server it starts.
 * Usage: `npm run bench:retention` (`-- <rows> <quiet phase seconds>`, default 1000000 and 15).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgDatabase } from '../server/stores/pg-database.js';
import { SqliteDatabase } from '../server/stores/sqlite-database.js';
import { startPostgres } from '../test/pg/postgres.js';
import { connectNamed as connect, forMs, openLoop } from './lib/chat-load.js';
import { type Histogram, newHistogram, summarize } from './lib/hist.js';
import { startServer } from './lib/procs.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const QUIET_MS = Number(process.argv[3] ?? 15) * 1000;
/** The longest a purge phase may last before the probe gives up on it. */
const PURGE_MAX_MS = 600_000;
const SENDS_PER_S = 500;
const WARM_UP_MS = 5000;
/** A session may make 20 sends per 2 s (MESSAGE_LIMIT): 5/s each stays well inside. */
const PER_CLIENT_PER_S = 5;
const ADMIN_TOKEN = 'bench-admin';
const DAY_MS = 24 * 60 * 60 * 1000;
const ARCHIVE = 'archive';

/** ROWS messages of 40 days ago in ARCHIVE, ids and ts rising together, in one statement. */
const SEED = (series: string) =>
  `INSERT INTO messages (room, nick, author, text, ts)
   SELECT '${ARCHIVE}', 'old', 'guest:old', 'an old message of about sixty characters, as chat lines are', ${Date.now() - 40 * DAY_MS} + n
   FROM (${series}) AS s`;

function seedSqlite(dataDir: string): void {
  const database = SqliteDatabase.open(dataDir); // migrated
  const release = database.retain();
  database.connection.exec(
    SEED(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${ROWS}) SELECT n FROM c`),
  );
  release();
}

async function seedPostgres(url: string): Promise<void> {
  const database = await PgDatabase.open(url); // migrated
  await database.retain()();
  // A client of its own: the server's pool has a statement timeout that a million-row INSERT exceeds.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(SEED(`SELECT generate_series(1, ${ROWS}) AS n`));
    await client.query('VACUUM ANALYZE messages');
  } finally {
    await client.end();
  }
}

/** 1 while any archived row is left, else 0: a count of a million rows every 250 ms would load the machine. */
const LEFT = 'SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE room = $1 LIMIT 1) AS s';

async function probe(store: string, env: Record<string, string>, archived: () => Promise<number>): Promise<void> {
  const server = await startServer('product', [], {
    ADMIN_TOKEN,
    RETENTION_DAYS: '0',
    RETENTION_SWEEP_SECONDS: '1',
    ...env,
  });
  try {
    const senders = await Promise.all(
      Array.from({ length: SENDS_PER_S / PER_CLIENT_PER_S }, (_, n) => connect(server.url, `sender-${n}`)),
    );
    for (const [n, sender] of senders.entries()) await sender.emitWithAck('room:join', `live-${n}`);
    const refused = new Map<string, number>();
    const send = (latencies: Histogram) => async (i: number) => {
      const n = i % senders.length;
      const sent = performance.now();
      const ack = await senders[n]!.emitWithAck('message:send', { room: `live-${n}`, text: `s ${i}` });
      if (ack.ok) latencies.recordValue(Math.max(1, Math.round((performance.now() - sent) * 1000)));
      else refused.set(ack.error.code, (refused.get(ack.error.code) ?? 0) + 1);
    };
    const [before, during, after] = [newHistogram(), newHistogram(), newHistogram()];
    await openLoop(SENDS_PER_S, forMs(WARM_UP_MS), send(newHistogram())); // JIT, pools, first pages: not counted
    await openLoop(SENDS_PER_S, forMs(QUIET_MS), send(before));

    const res = await fetch(`${server.url}/api/admin/rooms/${ARCHIVE}/retention`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ days: 30 }),
    });
    if (!res.ok) throw new Error(`PUT retention: ${res.status}`);
    const purgeStarted = performance.now();
    let left = ROWS;
    const watch = setInterval(() => void archived().then((n) => (left = n)), 250);
    await openLoop(SENDS_PER_S, () => left === 0 || performance.now() - purgeStarted > PURGE_MAX_MS, send(during));
    clearInterval(watch);
    const purgeS = ((performance.now() - purgeStarted) / 1000).toFixed(1);

    await openLoop(SENDS_PER_S, forMs(QUIET_MS), send(after));
    for (const client of senders) client.disconnect();
    const [b, d, a] = [summarize(before), summarize(during), summarize(after)];
    const quiet = newHistogram();
    quiet.add(before);
    quiet.add(after);
    const quietP99 = summarize(quiet).p99Ms;
    console.log(
      `${store}: ${ROWS} rows purged in ${purgeS} s${left === 0 ? '' : ' (some left: gave up)'}; send ack p50/p99 at ${SENDS_PER_S}/s: ` +
        `before ${b.p50Ms}/${b.p99Ms} ms (${b.count}), during the purge ${d.p50Ms}/${d.p99Ms} ms (${d.count}), ` +
        `after ${a.p50Ms}/${a.p99Ms} ms (${a.count}); p99 during / before and after together (${quietP99} ms): ` +
        `${(d.p99Ms / quietP99).toFixed(2)}×, batches of ${process.env.RETENTION_BATCH_ROWS ?? 'default'} rows, pause ${process.env.RETENTION_BATCH_PAUSE_MS ?? 'default'} ms` +
        (refused.size ? `; refused ${JSON.stringify(Object.fromEntries(refused))}` : ''),
    );
  } finally {
    await server.stop();
  }
}

const engines = process.env.BENCH_ENGINES?.split(',') ?? ['sqlite', 'postgres'];

if (engines.includes('sqlite')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-retention-'));
  try {
    const seeded = performance.now();
    seedSqlite(dataDir);
    console.log(`SQLite: ${ROWS} old rows seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const count = SqliteDatabase.open(dataDir);
    const release = count.retain();
    const archived = count.connection.prepare<[string], number>(LEFT.replace('$1', '?')).pluck();
    await probe('SQLite', { DATA_DIR: dataDir }, () => Promise.resolve(archived.get(ARCHIVE) ?? 0));
    release();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (engines.includes('postgres')) {
  const postgres = await startPostgres({ durable: true });
  try {
    const seeded = performance.now();
    await seedPostgres(postgres.url);
    console.log(`PostgreSQL: ${ROWS} old rows seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const database = await PgDatabase.open(postgres.url);
    const release = database.retain();
    const archived = async () => {
      const { rows } = await database.pool.query<{ n: string }>(LEFT, [ARCHIVE]);
      return Number(rows[0]!.n);
    };
    await probe('PostgreSQL', { DATABASE_URL: postgres.url }, archived);
    await release();
  } finally {
    await postgres.destroy();
  }
}
