import { afterAll, beforeAll, expect, test } from 'vitest';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { PgHistory } from '../../server/stores/pg-history.js';
import { PgReadState } from '../../server/stores/pg-read-state.js';
import { type PgServer, startPostgres } from './postgres.js';

// A marker's move commits without waiting for the WAL (issue 22: `room:read` comes often). Measured on a server of
// its own, so that the cluster-wide WAL statistics count this file's commits alone.

let pgServer: PgServer;
let database: PgDatabase;
let history: PgHistory;
let readState: PgReadState;
beforeAll(async () => {
  pgServer = await startPostgres();
  database = await PgDatabase.open(pgServer.url);
  [history, readState] = [new PgHistory(database), new PgReadState(database)];
});
afterAll(async () => {
  try {
    await Promise.all([history?.close(), readState?.close()]); // the last one ends the pool
  } finally {
    await pgServer?.destroy();
  }
});

const MOVES = 40;

/** WAL writes during `work`: a commit that waits writes (and flushes) the WAL itself, an asynchronous one does not. */
async function walWritesDuring(work: () => Promise<void>): Promise<number> {
  const writes = async () => {
    // A backend hands its statistics over when idle, at most once a second unless told to now; sequential
    // queries take the same pooled connection.
    await database.pool.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await database.pool.query<{ wal_write: string }>('SELECT wal_write FROM pg_stat_wal');
    return Number(rows[0]!.wal_write);
  };
  const before = await writes();
  await work();
  return (await writes()) - before;
}

test('room:read moves commit without a WAL write each; an ordinary commit writes one (the measure works)', async () => {
  const ids: number[] = [];
  for (let i = 0; i < MOVES; i++)
    ids.push((await history.append({ room: 'r', nick: 'n', author: 'n', text: `m${i}` })).message.id);
  const reader = { person: 'p', author: 'q', nick: 'q' };

  const relaxed = await walWritesDuring(async () => {
    for (const id of ids) expect((await readState.read(reader, 'r', id))?.readId).toBe(id);
  });
  const ordinary = await walWritesDuring(async () => {
    for (const id of ids) await database.pool.query('UPDATE read_state SET read_id = $1 WHERE person = $2', [id, 'p']);
  });

  expect(ordinary).toBeGreaterThanOrEqual(MOVES);
  expect(relaxed).toBeLessThan(MOVES / 4);
});
