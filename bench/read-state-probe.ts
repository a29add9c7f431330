/**
 * `unread:summary` over 200 rooms with 1,000,000 stored messages, answered with p95 ≤ 30 ms (not part of the suite;
 * figures in docs/performance.md): `ReadStateStore.states(reader, 200 rooms)`, timed on each backend.
 *   npm run bench:read-state [-- sqlite|postgres] [calls=200]
 * Each backend gets a fresh database (SQLite: a temporary data directory; PostgreSQL: a scratch database on
 * PROBE_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, dropped at the end), seeded in SQL with
 * 1,000,000 messages over 1,000 rooms from 50 authors (the reader is one of them): 2 % mention the reader, 2 % nearly
 * do (`@Readers`), 10 % mention someone else, 1 % are deleted. The reader has markers in 200 of those rooms,
 * 0–50 messages behind the latest, and none in 5 of them (each ~1,000 unread). After 20 calls to warm up, the
 * store answers `calls` times one after the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgDatabase } from '../server/stores/pg-database.js';
import { PgReadState } from '../server/stores/pg-read-state.js';
import type { Reader, ReadStateStore } from '../server/stores/read-state.js';
import { SqliteDatabase } from '../server/stores/sqlite-database.js';
import { SqliteReadState } from '../server/stores/sqlite-read-state.js';

const [only, callsArg] = process.argv.slice(2).filter((arg) => arg !== '--');
const CALLS = Number(callsArg ?? 200);
const WARM_UP_CALLS = 20;
const MESSAGES = 1_000_000;
const ROOMS = 1000;
const PG_URL = process.env.PROBE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const reader: Reader = { person: 'probe:reader', author: 'guest:author-0', nick: 'Reader' };
/** Every 5th room; in 5 of them the reader has no marker. */
const probed = Array.from({ length: 200 }, (_, j) => `room-${j * 5}`);
const behind = (j: number): number | undefined => (j % 40 === 0 ? undefined : (j * 37) % 51);

/**
 * The columns of message `i` (1…MESSAGES) as SQL both engines run: multiplicative hashes modulo primes, so rooms,
 * authors and texts are mixed without a pattern and every run seeds the same rows.
 */
const hash = (multiplier: number, prime: number, range: number) => `(((i * ${multiplier}) % ${prime}) % ${range})`;
const SEED_COLUMNS = `i AS id,
  'room-' || ${hash(2654435761, 1000003, ROOMS)} AS room,
  'author-' || ${hash(40503, 1009, 50)} AS nick,
  'guest:author-' || ${hash(40503, 1009, 50)} AS author,
  CASE WHEN ${hash(48271, 1021, 100)} = 0 THEN ''
    WHEN ${hash(69069, 1013, 50)} = 7 THEN 'hey @Reader, have a look at ' || i
    WHEN ${hash(69069, 1013, 50)} = 8 THEN 'thanks @Readers, all of you (' || i || ')'
    WHEN ${hash(69069, 1013, 10)} = 3 THEN '@author-' || (i % 47) || ' what do you make of ' || i || '?'
    ELSE 'message ' || i || ' about the weather, lunch and other things' END AS text,
  1700000000000 + i AS ts,
  ${hash(48271, 1021, 100)} = 0 AS deleted`;

/** No ANALYZE: the product never runs it, so its planner has no statistics either. */
function seedSqlite(database: SqliteDatabase): void {
  const db = database.connection;
  db.transaction(() =>
    db.exec(`INSERT INTO messages (id, room, nick, author, text, ts, deleted)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MESSAGES})
      SELECT id, room, nick, author, text, ts, deleted FROM (SELECT ${SEED_COLUMNS} FROM n)`),
  )();
}

/**
 * The last 20 % of the messages come after the vacuum, as in a table that autovacuum visits after 20 % new rows
 * (autovacuum_vacuum_insert_scale_factor): their pages are not all-visible, so counting them reads the heap. The
 * probe keeps autovacuum off the table, so that this holds for the whole run.
 */
async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert = (from: number, to: number) =>
    client.query(`INSERT INTO messages (id, room, nick, author, text, ts, deleted)
      SELECT ${SEED_COLUMNS} FROM generate_series(${from}::bigint, ${to}) AS i`);
  try {
    await client.query('ALTER TABLE messages SET (autovacuum_enabled = off)');
    await insert(1, MESSAGES * 0.8);
    await client.query('VACUUM ANALYZE messages');
    await insert(MESSAGES * 0.8 + 1, MESSAGES);
    await client.query('ANALYZE messages');
    await client.query(`SELECT setval('messages_id_seq', ${MESSAGES})`);
  } finally {
    await client.end();
  }
}

/** Puts the reader's markers `behind(j)` messages before the latest of each probed room, through the store. */
async function placeMarkers(store: ReadStateStore, latestIds: (room: string, skip: number) => Promise<number>) {
  for (const [j, room] of probed.entries()) {
    const skip = behind(j);
    if (skip !== undefined) await store.read(reader, room, await latestIds(room, skip));
  }
}

async function measure(name: string, store: ReadStateStore): Promise<void> {
  const states = await store.states(reader, probed);
  const unread = states.reduce((sum, s) => sum + s.unread, 0);
  const mentions = states.reduce((sum, s) => sum + s.mentions, 0);
  for (let i = 0; i < WARM_UP_CALLS; i++) await store.states(reader, probed);
  const took: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await store.states(reader, probed);
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  const at = (q: number) => took[Math.min(took.length - 1, Math.ceil(q * took.length) - 1)]!.toFixed(2);
  console.log(`${name}: ${probed.length} rooms, ${unread} unread, ${mentions} mentions in them`);
  console.log(`  states() ms over ${CALLS} calls: p50 ${at(0.5)}, p95 ${at(0.95)}, p99 ${at(0.99)}, max ${at(1)}`);
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function probeSqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'read-state-probe-'));
  const database = SqliteDatabase.open(dir);
  const store = new SqliteReadState(database);
  try {
    const started = performance.now();
    seedSqlite(database);
    console.log(`SQLite: seeded ${MESSAGES} messages in ${seconds(started)}`);
    const latest = database.connection.prepare<[string, number], number>(
      'SELECT id FROM messages WHERE room = ? ORDER BY id DESC LIMIT 1 OFFSET ?',
    );
    await placeMarkers(store, (room, skip) => Promise.resolve(latest.pluck().get(room, skip)!));
    await measure('SQLite', store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function probePostgres(): Promise<void> {
  const name = `parley_probe_read_state_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    const database = await PgDatabase.open(url.toString());
    const store = new PgReadState(database);
    try {
      const started = performance.now();
      await seedPostgres(url.toString());
      console.log(`PostgreSQL: seeded ${MESSAGES} messages in ${seconds(started)}`);
      const latest = 'SELECT id FROM messages WHERE room = $1 ORDER BY id DESC LIMIT 1 OFFSET $2';
      await placeMarkers(store, async (room, skip) => {
        const { rows } = await database.pool.query<{ id: string }>(latest, [room, skip]);
        return Number(rows[0]!.id);
      });
      await measure('PostgreSQL', store);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()}`);
if (only !== 'postgres') await probeSqlite();
if (only !== 'sqlite') await probePostgres();
console.log(`load average at end: ${load()}`);
