import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AuditLog } from '../../server/stores/audit.js';
import type { HistoryStore } from '../../server/stores/history.js';
import type { RetentionStore } from '../../server/stores/retention.js';
import type { Made } from './history.contract.js';

/** The store under test, with the history and audit log of the same database. */
export interface RetentionDatabase {
  retention: RetentionStore;
  history: HistoryStore;
  audit: AuditLog;
  /** Stores a message with this `ts` (as if sent then); resolves its id. */
  insertAt(room: string, ts: number): Promise<number>;
  /** The ids of a room's rows, rising, straight from the table. */
  idsOf(room: string): Promise<number[]>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ADMIN = 'admin-api' as const;

/** What every RetentionStore implementation must do; run by each implementation's test file. */
export function describeRetentionStore(name: string, make: () => Promise<Made<RetentionDatabase>>): void {
  describe(`RetentionStore: ${name}`, () => {
    let made: Made<RetentionDatabase>;
    let db: RetentionDatabase;
    beforeEach(async () => {
      made = await make();
      db = made.store;
    });
    afterEach(() => made.destroy());

    /** `count` rows in `room`, `ageDays` old, one ms apart; resolves their ids. */
    const rows = async (room: string, count: number, ageDays: number) => {
      const ids: number[] = [];
      const ts = Date.now() - ageDays * DAY_MS;
      for (let i = 0; i < count; i++) ids.push(await db.insertAt(room, ts + i));
      return ids;
    };

    test('overrides are set, replaced and removed, each with its audit entry in the same call', async () => {
      expect(await db.retention.overrides()).toEqual(new Map());
      await db.retention.setOverride('a', 30, {
        actor: ADMIN,
        action: 'set-retention',
        room: 'a',
        target: '30',
        reason: null,
      });
      await db.retention.setOverride('b', 0, {
        actor: ADMIN,
        action: 'set-retention',
        room: 'b',
        target: '0',
        reason: null,
      });
      await db.retention.setOverride('a', 7, {
        actor: ADMIN,
        action: 'set-retention',
        room: 'a',
        target: '7',
        reason: null,
      });
      expect(await db.retention.overrides()).toEqual(
        new Map([
          ['a', 7],
          ['b', 0],
        ]),
      );
      const removal = { actor: ADMIN, action: 'set-retention', room: 'b', target: 'default', reason: null } as const;
      await db.retention.setOverride('b', null, removal);
      expect(await db.retention.overrides()).toEqual(new Map([['a', 7]]));
      const entries = await db.audit.entries(10);
      expect(entries.map((e) => [e.action, e.room, e.target])).toEqual([
        ['set-retention', 'b', 'default'],
        ['set-retention', 'a', '7'],
        ['set-retention', 'b', '0'],
        ['set-retention', 'a', '30'],
      ]);
    });

    test('the default scope purges rooms without an override, oldest first, at most `limit` per call', async () => {
      const old = await rows('lobby', 5, 40);
      const kept = await rows('lobby', 3, 10);
      await rows('other', 2, 35);
      const overridden = await rows('forever', 4, 40);
      await db.retention.setOverride('forever', 0, {
        actor: ADMIN,
        action: 'set-retention',
        room: 'forever',
        target: '0',
        reason: null,
      });
      const before = Date.now() - 30 * DAY_MS;

      expect(await db.retention.purge({ roomsWithoutOverride: true, before }, 3)).toBe(3);
      // The three oldest of all, by ts: lobby's first three (40 days old; `other`'s are 35).
      expect(await db.idsOf('lobby')).toEqual([...old.slice(3), ...kept]);
      expect(await db.retention.purge({ roomsWithoutOverride: true, before }, 3)).toBe(3);
      expect(await db.retention.purge({ roomsWithoutOverride: true, before }, 3)).toBe(1);
      expect(await db.retention.purge({ roomsWithoutOverride: true, before }, 3)).toBe(0);
      expect(await db.idsOf('lobby')).toEqual(kept);
      expect(await db.idsOf('other')).toEqual([]);
      expect(await db.idsOf('forever')).toEqual(overridden);
    });

    test("a room's scope purges that room only", async () => {
      const old = await rows('short', 4, 3);
      const kept = await rows('short', 2, 0);
      const other = await rows('lobby', 3, 3);
      const before = Date.now() - 1 * DAY_MS;
      expect(await db.retention.purge({ room: 'short', before }, 10)).toBe(old.length);
      expect(await db.idsOf('short')).toEqual(kept);
      expect(await db.idsOf('lobby')).toEqual(other);
    });

    test('history pages never return a message stored before `since`, and what stays has no gaps', async () => {
      const old = await rows('lobby', 6, 40);
      const kept = await rows('lobby', 5, 1);
      const since = Date.now() - 30 * DAY_MS;
      const ids = (page: { id: number }[]) => page.map((m) => m.id);
      expect(ids(await db.history.latest('lobby', 50, since))).toEqual(kept);
      expect(ids(await db.history.latest('lobby', 2, since))).toEqual(kept.slice(-2));
      expect(ids(await db.history.before('lobby', kept[2]!, 50, since))).toEqual(kept.slice(0, 2));
      expect(ids(await db.history.before('lobby', kept[0]!, 50, since))).toEqual([]);
      expect(ids(await db.history.after('lobby', 0, 50, since))).toEqual(kept);
      expect(ids(await db.history.after('lobby', old[1]!, 3, since))).toEqual(kept.slice(0, 3));
      // Without a cutoff, everything (the default of every caller that does not ask for one).
      expect(ids(await db.history.latest('lobby', 50))).toEqual([...old, ...kept]);
      // A room with nothing kept.
      expect(await db.history.latest('lobby', 50, Date.now() + DAY_MS)).toEqual([]);
    });
  });
}
