import { rmSync } from 'node:fs';
import { SqliteAudit } from '../../server/stores/sqlite-audit.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteRetention } from '../../server/stores/sqlite-retention.js';
import { tempDataDir } from '../helpers.js';
import { describeRetentionStore } from './retention.contract.js';

describeRetentionStore('SQLite', () => {
  const dir = tempDataDir();
  const database = SqliteDatabase.open(dir);
  const [retention, history, audit] = [
    new SqliteRetention(database),
    new SqliteHistory(database),
    new SqliteAudit(database),
  ];
  const insert = database.connection.prepare<[string, number]>(
    "INSERT INTO messages (room, nick, author, text, ts) VALUES (?, 'old', 'guest:old', 'old text', ?)",
  );
  const ids = database.connection.prepare<[string], number>('SELECT id FROM messages WHERE room = ? ORDER BY id');
  return Promise.resolve({
    store: {
      retention,
      history,
      audit,
      insertAt: (room, ts) => Promise.resolve(Number(insert.run(room, ts).lastInsertRowid)),
      idsOf: (room) => Promise.resolve(ids.pluck().all(room)),
    },
    destroy: async () => {
      await Promise.all([retention.close(), history.close(), audit.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
