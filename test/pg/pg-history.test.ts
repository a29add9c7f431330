import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PgHistory, roomLockKey } from '../../server/stores/pg-history.js';
import { LOCK_CLASS } from '../../server/stores/pg-migrations.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { describeHistoryStore } from '../stores/history.contract.js';
import { freshDatabase } from './databases.js';
import { type PgServer, startPostgres } from './postgres.js';

describeHistoryStore('PostgreSQL', async () => {
  const db = await freshDatabase('hist');
  const store = new PgHistory(await PgDatabase.open(db.url));
  return {
    store,
    destroy: async () => {
      await store.close();
      await db.drop();
    },
  };
});

describe('PgHistory with several processes on one database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let stores: PgHistory[] = [];
  beforeEach(async () => {
    db = await freshDatabase('multi');
    // Started at once, as processes of a deployment are: the migration runs once, under its advisory lock.
    stores = await Promise.all([1, 2, 3, 4].map(async () => new PgHistory(await PgDatabase.open(db.url))));
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db.drop();
  });

  test('concurrent writers to one room: a reader paging with `after` never skips a message', async () => {
    const PER_WRITER = 150;
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let last = 0;
      while (writing) {
        const page = await stores[0]!.after('busy', last, 100);
        for (const m of page) seen.push(m.id);
        last = page.at(-1)?.id ?? last;
      }
      for (;;) {
        const page = await stores[0]!.after('busy', last, 100);
        if (page.length === 0) return;
        for (const m of page) seen.push(m.id);
        last = page.at(-1)!.id;
      }
    })();
    // Each writer keeps several batches in flight, mixed with another room, so transactions overlap.
    await Promise.all(
      stores.map(async (store, w) => {
        for (let i = 0; i < PER_WRITER; i += 5) {
          await Promise.all(
            Array.from({ length: 5 }, (_, k) =>
              store
                .append({ room: k % 2 ? 'busy' : 'side', nick: `w${w}`, author: `w${w}`, text: `${i + k}` })
                .then(() => store.append({ room: 'busy', nick: `w${w}`, author: `w${w}`, text: `b${i + k}` })),
            ),
          );
        }
      }),
    );
    writing = false;
    await reader;
    const all = (await stores[1]!.after('busy', 0, 100_000)).map((m) => m.id);
    expect(all.length).toBeGreaterThan(stores.length * PER_WRITER);
    expect(seen).toEqual(all); // every committed message was seen, once, in id order
  });

  test('the same clientId sent through two processes at once is stored once; both get its id', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        Promise.all(
          stores.map((store) =>
            store.append({ room: 'r', nick: 'ana', author: 'ana', text: `m${i}`, clientId: `c${i}` }),
          ),
        ),
      ),
    );
    for (const results of pairs) {
      expect(results.filter((r) => r.isNew)).toHaveLength(1);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    }
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages');
    await client.end();
    expect(Number(rows[0]!.n)).toBe(40);
  });

  test("a message's time is taken once its room is free, so it rises with the id", async () => {
    // Another process holds the room: the append waits. Its ts must be read after that wait, as its id is;
    // a time read before it would be older than the other process's message, with a smaller id. A page's lower
    // bound (the room's first kept message, by time) would then skip messages.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, roomLockKey('busy')]);
      const waiting = stores[0]!.append({ room: 'busy', nick: 'ana', author: 'ana', text: 'waited' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const released = Date.now();
      await other.query('COMMIT');
      expect((await waiting).message.ts).toBeGreaterThanOrEqual(released);
    } finally {
      await other.end();
    }
  });
});

describe('PgHistory through a PostgreSQL outage', () => {
  let server: PgServer;
  let store: PgHistory;
  beforeAll(async () => {
    server = await startPostgres(); // our own: stopping the shared one would break other files
    store = new PgHistory(await PgDatabase.open(server.url, { onIdleError: () => {} }));
  });
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await server?.destroy();
  });

  test('errors (never a hang) while it is down, then works again with the same store', async () => {
    const before = await store.append({ room: 'r', nick: 'ana', author: 'ana', text: 'before', clientId: 'b' });
    await server.stop();
    const started = Date.now();
    await expect(store.append({ room: 'r', nick: 'ana', author: 'ana', text: 'during' })).rejects.toThrow();
    await expect(store.latest('r', 10)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    await server.start();
    await expect
      .poll(
        () =>
          store.append({ room: 'r', nick: 'ana', author: 'ana', text: 'after' }).then(
            () => true,
            () => false,
          ),
        {
          timeout: 10_000,
          interval: 200,
        },
      )
      .toBe(true);
    expect((await store.latest('r', 10)).map((m) => m.text)).toEqual(['before', 'after']);
    expect(await store.append({ room: 'r', nick: 'ana', author: 'ana', text: 'before', clientId: 'b' })).toEqual({
      message: before.message,
      isNew: false,
    });
  });
});
