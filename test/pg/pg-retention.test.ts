import { PgAudit } from '../../server/stores/pg-audit.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { PgHistory } from '../../server/stores/pg-history.js';
import { PgRetention } from '../../server/stores/pg-retention.js';
import { describeRetentionStore } from '../stores/retention.contract.js';
import { freshDatabase } from './databases.js';

describeRetentionStore('PostgreSQL', async () => {
  const db = await freshDatabase('retention');
  const database = await PgDatabase.open(db.url);
  const [retention, history, audit] = [new PgRetention(database), new PgHistory(database), new PgAudit(database)];
  return {
    store: {
      retention,
      history,
      audit,
      insertAt: async (room, ts) => {
        const { rows } = await database.pool.query<{ id: string }>(
          "INSERT INTO messages (room, nick, author, text, ts) VALUES ($1, 'old', 'guest:old', 'old text', $2) RETURNING id",
          [room, ts],
        );
        return Number(rows[0]!.id);
      },
      idsOf: async (room) => {
        const { rows } = await database.pool.query<{ id: string }>(
          'SELECT id FROM messages WHERE room = $1 ORDER BY id',
          [room],
        );
        return rows.map((r) => Number(r.id));
      },
    },
    destroy: async () => {
      await Promise.all([retention.close(), history.close(), audit.close()]);
      await db.drop();
    },
  };
});
