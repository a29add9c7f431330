import { rmSync } from 'node:fs';
import { MemoryNewsSequence, SqliteNewsSequence } from '../../server/stores/news-sequence.js';
import { MemoryNickRegistry } from '../../server/stores/nicks.js';
import { MemoryPresence } from '../../server/stores/presence.js';
import { MemorySessionStore } from '../../server/stores/sessions.js';
import { SqliteConversations } from '../../server/stores/sqlite-conversations.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { tempDataDir } from '../helpers.js';
import { describeConversationStore } from './conversations.contract.js';
import { describeHistoryStore } from './history.contract.js';
import { describeNewsSequence } from './news-sequence.contract.js';
import { describeNickRegistry } from './nicks.contract.js';
import { describePresence } from './presence.contract.js';
import { describeSessionStore } from './sessions.contract.js';

// The embedded implementations (one process, nothing to install). PostgreSQL's run in test/pg.
describeHistoryStore('SQLite', () => {
  const dir = tempDataDir();
  const store = new SqliteHistory(SqliteDatabase.open(dir));
  return Promise.resolve({
    store,
    destroy: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
describeConversationStore('SQLite', () => {
  const dir = tempDataDir();
  const database = SqliteDatabase.open(dir);
  const [conversations, history] = [new SqliteConversations(database), new SqliteHistory(database)];
  return Promise.resolve({
    store: { conversations, history },
    destroy: async () => {
      await Promise.all([conversations.close(), history.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
describeSessionStore('memory', (clock) => Promise.resolve(new MemorySessionStore(clock.now)));
describeNickRegistry('memory', () => Promise.resolve(new MemoryNickRegistry()));
describePresence('memory', () => Promise.resolve(new MemoryPresence()));
describeNewsSequence('memory', () => Promise.resolve(new MemoryNewsSequence()));

const sequenceDirs = new WeakMap<object, string>();
describeNewsSequence(
  'SQLite',
  () => {
    const dir = tempDataDir();
    const store = new SqliteNewsSequence(SqliteDatabase.open(dir));
    sequenceDirs.set(store, dir);
    return Promise.resolve(store);
  },
  async (store) => {
    await store.close();
    return new SqliteNewsSequence(SqliteDatabase.open(sequenceDirs.get(store)!));
  },
);
