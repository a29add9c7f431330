import { expect, test } from 'vitest';
import { PgBans } from '../../server/stores/pg-bans.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { freshDatabase } from './databases.js';

test('nodes opening the ban store at once on a new database all start, and share one table', async () => {
  const database = await freshDatabase('bans_race');
  const stores = await Promise.all(
    Array.from({ length: 6 }, async () => new PgBans(await PgDatabase.open(database.url))),
  );
  try {
    await stores[0]!.ban({ room: 'lobby', nickKey: 'eve', nick: 'eve', until: null, by: 'mod', at: 1 });
    for (const store of stores) expect(await store.active('lobby', 'eve', Date.now())).toMatchObject({ nick: 'eve' });
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  }
});
