import { EventEmitter } from 'node:events';

/** A listener shared by every emitter it is bound to; Node calls it with the emitter as `this`. */
export type SharedListener = (this: never, ...args: never[]) => unknown;

/** Node's listener table: `_events` and `_eventsCount` are EventEmitter internals (canary: shared-listeners.test). */
interface ListenerTable {
  _events?: Record<string | symbol, unknown>;
  _eventsCount?: number;
}

export interface SharedListenerTable {
  /** Adds every listener of the table to `emitter`, after the ones it already has. */
  bindTo(emitter: EventEmitter): void;
  /** False when Node's EventEmitter does not look as expected: each emitter then gets the listeners by `on`. */
  readonly inherited: boolean;
}

/**
 * One table of listeners for many emitters (issue 24). `on` gives every emitter its own entry per event: 25
 * events made a 1.7 KB dictionary per /chat socket. Here an emitter's listener table inherits the entries
 * instead: Node's `emit`, `listeners` and `listenerCount` read `_events[type]`, which finds them through the
 * prototype, and adding a listener for one of those events makes an own entry holding both. What does not
 * work with an inherited entry: `off`/`removeListener` of a shared listener (a no-op; nothing removes them,
 * `removeAllListeners()` does), and `eventNames()` lists own entries only. If Node's EventEmitter ever stops
 * behaving so, the check below notices at startup and the table falls back to `on`.
 */
export function sharedListenerTable(listeners: ReadonlyArray<readonly [string, SharedListener]>): SharedListenerTable {
  const entries: Record<string, SharedListener> = Object.create(null) as Record<string, SharedListener>;
  for (const [event, listener] of listeners) entries[event] = listener;
  const byOn = (emitter: EventEmitter) => {
    for (const [event, listener] of listeners) emitter.on(event, listener as (...args: unknown[]) => void);
  };
  const inherited = inheritanceWorks();
  return {
    inherited,
    bindTo(emitter) {
      const own = (emitter as ListenerTable)._events;
      // An event the emitter already listens to would hide the shared entry: bind the plain way then.
      if (!inherited || !own || listeners.some(([event]) => Object.hasOwn(own, event))) return byOn(emitter);
      inherit(emitter as ListenerTable, own, entries, listeners.length);
    },
  };
}

function inherit(emitter: ListenerTable, own: object, entries: object, count: number): void {
  emitter._events = Object.assign(Object.create(entries) as Record<string, unknown>, own);
  emitter._eventsCount = (emitter._eventsCount ?? 0) + count;
}

/** Whether an inherited entry is called, listed, counted and kept when another listener joins it. */
function inheritanceWorks(): boolean {
  try {
    const calls: string[] = [];
    const emitter = new EventEmitter();
    const own = (emitter as ListenerTable)._events;
    if (!own || typeof own !== 'object') return false;
    const shared = function (this: unknown, arg: string) {
      calls.push(this === emitter ? arg : 'wrong this');
    };
    inherit(emitter as ListenerTable, own, { probe: shared }, 1);
    emitter.emit('probe', 'a');
    emitter.on('probe', () => calls.push('b'));
    emitter.emit('probe', 'c');
    return calls.join() === 'a,c,b' && emitter.listenerCount('probe') === 2 && emitter.listeners('probe')[0] === shared;
  } catch {
    return false;
  }
}
