import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AuditLog, AuditRecord } from '../../server/stores/audit.js';
import type { NewReport, ReportStore, Resolution } from '../../server/stores/reports.js';
import type { Made } from './history.contract.js';

/** The store under test and the audit log of the same database, which its resolutions write. */
export interface ReportsDatabase {
  reports: ReportStore;
  audit: AuditLog;
}

const report = (fields: Partial<NewReport> = {}): NewReport => ({
  ...{ room: 'lobby', messageId: 7, authorNick: 'Bea', author: 'guest:bea', reporterPerson: 'person-ana' },
  ...{ reporterNick: 'Ana', reason: 'spam', at: 1_000 },
  ...fields,
});

const audit = (target: string, reason: string): AuditRecord => ({
  ...{ actor: 'admin-api', action: 'resolve-report', room: 'lobby' },
  ...{ target, reason },
});

const resolution = (id: number, state: Resolution['state'] = 'dismissed'): Resolution => ({
  ...{ state, by: 'admin', at: 2_000 },
  audit: audit(String(id), 'dismiss'),
});

/** What every ReportStore implementation must do; run by each implementation's test file. */
export function describeReportStore(name: string, make: () => Promise<Made<ReportsDatabase>>): void {
  describe(`ReportStore: ${name}`, () => {
    let made: Made<ReportsDatabase>;
    let store: ReportStore;
    beforeEach(async () => {
      made = await make();
      store = made.store.reports;
    });
    afterEach(() => made.destroy());

    test('a report is stored open, with nicks and never the author key or the reporter person', async () => {
      const { report: stored, isNew } = await store.add(report());
      expect(isNew).toBe(true);
      expect(stored).toEqual({
        ...{ id: expect.any(Number), room: 'lobby', messageId: 7, author: 'Bea', reporter: 'Ana' },
        ...{ reason: 'spam', at: 1_000, state: 'open' },
      });
      expect(await store.get(stored.id)).toEqual(stored);
      expect(JSON.stringify(stored)).not.toMatch(/person-ana|guest:bea/);
    });

    test('one report per person and message: a repeat returns the first, unchanged', async () => {
      const first = (await store.add(report())).report;
      const again = await store.add(report({ reason: 'other words', reporterNick: 'Ana2', at: 5_000 }));
      expect(again).toEqual({ report: first, isNew: false });
      expect(await store.list('open', 10)).toEqual([first]);
      // Another person, or another message, is another report.
      expect((await store.add(report({ reporterPerson: 'person-cy' }))).isNew).toBe(true);
      expect((await store.add(report({ messageId: 8 }))).isNew).toBe(true);
      expect(await store.list('open', 10)).toHaveLength(3);
    });

    test('two first reports of one pair at once store one row', async () => {
      const both = await Promise.all([store.add(report()), store.add(report())]);
      expect(both.map((r) => r.isNew).sort()).toEqual([false, true]);
      expect(both[0].report).toEqual(both[1].report);
      expect(await store.list('open', 10)).toHaveLength(1);
    });

    test('list is by state, newest first, at most limit', async () => {
      const ids: number[] = [];
      for (const person of ['p1', 'p2', 'p3'])
        ids.push((await store.add(report({ reporterPerson: person }))).report.id);
      await store.resolve(ids[1]!, resolution(ids[1]!));
      expect((await store.list('open', 10)).map((r) => r.id)).toEqual([ids[2], ids[0]]);
      expect((await store.list('open', 1)).map((r) => r.id)).toEqual([ids[2]]);
      expect((await store.list('dismissed', 10)).map((r) => r.id)).toEqual([ids[1]]);
      expect(await store.list('banned', 10)).toEqual([]);
    });

    test('resolve ends an open report once, with exactly one audit entry', async () => {
      const { id } = (await store.add(report())).report;
      const resolved = await store.resolve(id, resolution(id, 'deleted'));
      expect(resolved).toMatchObject({ id, state: 'deleted' });
      expect(await store.get(id)).toEqual(resolved);
      expect(await store.resolve(id, resolution(id, 'banned'))).toBeUndefined();
      expect(await store.resolve(id + 1000, resolution(id + 1000))).toBeUndefined();
      expect(await store.get(id)).toMatchObject({ state: 'deleted' });
      const entries = await made.store.audit.entries(10);
      expect(entries).toEqual([expect.objectContaining({ action: 'resolve-report', target: String(id) })]);
    });

    test('of two resolutions at once, one wins and only it is audited', async () => {
      const { id } = (await store.add(report())).report;
      const results = await Promise.all([store.resolve(id, resolution(id)), store.resolve(id, resolution(id))]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await made.store.audit.entries(10)).toHaveLength(1);
    });
  });
}
