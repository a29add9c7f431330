import { rmSync } from 'node:fs';
import { MemoryNewsSequence, SqliteNewsSequence } from '../../server/stores/news-sequence.js';
import { MemoryNickRegistry } from '../../server/stores/nicks.js';
import { MemoryPresence } from '../../server/stores/presence.js';
import { MemorySessionStore } from '../../server/stores/sessions.js';
import { SqliteConversations } from '../../server/stores/sqlite-conversations.js';
import { SqliteHistory } from '../../server/stores/sqlite-history.js';
import { SqliteDatabase } from '../../server/stores/sqlite-database.js';
import { SqliteReadState } from '../../server/stores/sqlite-read-state.js';
import { SqliteAudit } from '../../server/stores/sqlite-audit.js';
import { SqliteReports } from '../../server/stores/sqlite-reports.js';
import { tempDataDir } from '../helpers.js';
import { describeConversationStore } from './conversations.contract.js';
import { describeHistoryStore } from './history.contract.js';
import { describeNewsSequence } from './news-sequence.contract.js';
import { describeNickRegistry } from './nicks.contract.js';
import { describePresence } from './presence.contract.js';
import { describeReadStateStore } from './read-state.contract.js';
import { describeReportStore } from './reports.contract.js';
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
describeReadStateStore('SQLite', () => {
  const dir = tempDataDir();
  const database = SqliteDatabase.open(dir);
  const [readState, history] = [new SqliteReadState(database), new SqliteHistory(database)];
  const insertAuthorless = database.connection.prepare<[string, string, string, number]>(
    'INSERT INTO messages (room, nick, text, ts) VALUES (?, ?, ?, ?)',
  );
  return Promise.resolve({
    store: {
      readState,
      history,
      appendAuthorless: (room, nick, text) =>
        Promise.resolve(Number(insertAuthorless.run(room, nick, text, Date.now()).lastInsertRowid)),
    },
    destroy: async () => {
      await Promise.all([readState.close(), history.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
describeReportStore('SQLite', () => {
  const dir = tempDataDir();
  const database = SqliteDatabase.open(dir);
  const [reports, audit] = [new SqliteReports(database), new SqliteAudit(database)];
  return Promise.resolve({
    store: { reports, audit },
    destroy: async () => {
      await Promise.all([reports.close(), audit.close()]);
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
