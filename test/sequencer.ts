import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that spend most of their time waiting: on leases, recovery windows and timers, or on processes
 * they start (cluster nodes, nginx, PostgreSQL, the bench). The rest, the browser files above all, keep a core busy.
 */
const WAITING = /\/test\/(cluster|process|bench)\//;

/**
 * vitest's order (projects one after another, the longest files first; on a fresh clone, the largest), with the
 * files that mostly wait spread among the others: run side by side, two waiting files (e.g. a node's failover
 * and its lease expiry) left a core idle for a quarter of a minute, while beside a browser file each waits
 * for free.
 */
export default class WaitingBesideBusy extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const result: TestSpecification[] = [];
    for (const project of new Set(ordered.map((spec) => spec.project))) {
      const own = ordered.filter((spec) => spec.project === project);
      const waiting = own.filter((spec) => WAITING.test(spec.moduleId));
      const busy = own.filter((spec) => !WAITING.test(spec.moduleId));
      while (waiting.length > 0 || busy.length > 0) {
        const next = busy.shift();
        if (next) result.push(next);
        const wait = waiting.shift();
        if (wait) result.push(wait);
      }
    }
    return result;
  }
}
