import { expect, test } from 'vitest';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { PgHistory } from '../../server/stores/pg-history.js';
import { PgReadState } from '../../server/stores/pg-read-state.js';
import { describeReadStateStore } from '../stores/read-state.contract.js';
import { freshDatabase } from './databases.js';

describeReadStateStore('PostgreSQL', async () => {
  const db = await freshDatabase('read');
  const database = await PgDatabase.open(db.url);
  const [readState, history] = [new PgReadState(database), new PgHistory(database)];
  return {
    store: {
      readState,
      history,
      appendAuthorless: async (room, nick, text) => {
        const { rows } = await database.pool.query<{ id: string }>(
          'INSERT INTO messages (room, nick, text, ts) VALUES ($1, $2, $3, $4) RETURNING id',
          [room, nick, text, Date.now()],
        );
        return Number(rows[0]!.id);
      },
    },
    destroy: async () => {
      await Promise.all([readState.close(), history.close()]);
      await db.drop();
    },
  };
});

test('in a database whose lower() folds ASCII alone (LC_CTYPE C), mentions outside ASCII still count', async () => {
  const db = await freshDatabase('read_c', "TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'");
  const database = await PgDatabase.open(db.url);
  const [readState, history] = [new PgReadState(database), new PgHistory(database)];
  try {
    const texts = ['@ZOË!', '@zoe', 'hej @ØYVIND', '@\u212Aim', '@KIM', 'hi @Ana'];
    for (const [i, text] of texts.entries()) await history.append({ room: `r${i}`, nick: 'x', author: 'x', text });
    const mentions = async (nick: string) =>
      (
        await readState.states(
          { person: 'p', author: 'p', nick },
          texts.map((_, i) => `r${i}`),
        )
      ).map((s) => s.mentions);
    expect(await mentions('Zoë')).toEqual([1, 0, 0, 0, 0, 0]);
    expect(await mentions('øyvind')).toEqual([0, 0, 1, 0, 0, 0]);
    expect(await mentions('kim')).toEqual([0, 0, 0, 1, 1, 0]);
    expect(await mentions('ANA')).toEqual([0, 0, 0, 0, 0, 1]);
  } finally {
    await Promise.all([readState.close(), history.close()]);
    await db.drop();
  }
});
