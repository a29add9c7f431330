import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Runs `task` for each item in order, and gives the event loop a turn (`setImmediate`, so pending I/O such as
 * other clients' packets is handled first) each time the items' `weight` adds up to `budget`. Promises that
 * settle at once (the in-memory stores) never yield by themselves: without this, one rename in 50 large rooms
 * is one long turn in which nobody else is served.
 *
 * @example await inTurns(rooms, 1000, (room) => membersOf(room), (room) => announce(room));
 */
export async function inTurns<T>(
  items: Iterable<T>,
  budget: number,
  weight: (item: T) => number,
  task: (item: T) => Promise<void> | void,
): Promise<void> {
  let spent = 0;
  for (const item of items) {
    if (spent >= budget) {
      spent = 0;
      await nextTurn();
    }
    await task(item);
    spent += Math.max(1, weight(item));
  }
}
