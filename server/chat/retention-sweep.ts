import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../lib/log.js';
import type { PurgeScope, RetentionStore } from '../stores/retention.js';
import { type RoomRetention, cutoffOf } from './retention.js';

export interface RetentionSweepSettings {
  /** RETENTION_SWEEP_SECONDS, in ms: how often the overrides are re-read and (by the leader) the purge runs. */
  everyMs: number;
  /** RETENTION_BATCH_ROWS: messages deleted per statement (each its own short transaction). */
  batchRows: number;
  /** RETENTION_BATCH_PAUSE_MS: the pause after each full batch, so sends and reads run between batches. */
  pauseMs: number;
}

export const RETENTION_SWEEP_DEFAULTS: RetentionSweepSettings = { everyMs: 300_000, batchRows: 500, pauseMs: 10 };

export interface RetentionSweepDeps {
  retention: RoomRetention;
  store: RetentionStore;
  /** Whether this node runs the purge now (`membership.lead('retention')`: one node of a cluster). */
  leads: () => boolean;
  log: Logger;
}

/** The scopes a sweep purges at `now`: every room on RETENTION_DAYS, then each room whose override keeps less. */
function scopesAt(retention: RoomRetention, now: number): PurgeScope[] {
  const scopes: PurgeScope[] = [];
  if (retention.defaultDays > 0)
    scopes.push({ roomsWithoutOverride: true, before: cutoffOf(retention.defaultDays, now) });
  for (const [room, days] of retention.overridden()) if (days > 0) scopes.push({ room, before: cutoffOf(days, now) });
  return scopes;
}

/**
 * Every `everyMs`, each node re-reads the retention overrides; the node that leads deletes the messages past their
 * age, `batchRows` at a time with a pause between batches, so a purge of millions never holds up sends for long
 * (on SQLite a batch blocks the event loop while it runs: keep it small). Returns the stop function, which
 * waits for the batch under way.
 */
export function startRetentionSweep(deps: RetentionSweepDeps, settings: RetentionSweepSettings): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const purgeScope = async (scope: PurgeScope): Promise<number> => {
    let purged = 0;
    while (!stopped) {
      const n = await deps.store.purge(scope, settings.batchRows);
      purged += n;
      if (n < settings.batchRows) break;
      await sleep(settings.pauseMs);
    }
    return purged;
  };

  const sweep = async (): Promise<void> => {
    await deps.retention.reload();
    if (stopped || !deps.leads()) return;
    const startedAt = Date.now();
    let purged = 0;
    for (const scope of scopesAt(deps.retention, startedAt)) purged += await purgeScope(scope);
    if (purged > 0) deps.log.info({ purged, ms: Date.now() - startedAt }, 'retention purged old messages');
  };

  let busy = false;
  // A sweep that outlasts the interval is not queued again behind itself: the next tick after it ends runs.
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = sweep()
      .catch((err: unknown) => deps.log.error({ err }, 'the retention sweep failed'))
      .finally(() => (busy = false));
  }, settings.everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
