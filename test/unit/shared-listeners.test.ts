// Canary for server/lib/shared-listeners.ts: it gives an emitter's listener table (`_events`, a Node
// EventEmitter internal) a prototype holding listeners shared by every /chat socket. If Node or Socket.IO
// change how listeners are stored, the table falls back to `on` (correct, but ~1.3 KB more per client, issue 24);
// these tests make that a red build instead of a silent loss.
import { EventEmitter } from 'node:events';
import { Socket } from 'socket.io';
import { expect, test } from 'vitest';
import { sharedListenerTable } from '../../server/lib/shared-listeners.js';

function recorder() {
  const calls: string[] = [];
  const shared = function (this: EventEmitter & { name: string }, arg: string) {
    calls.push(`${this.name}:${arg}`);
  };
  return { calls, shared };
}

const named = (name: string) => Object.assign(new EventEmitter(), { name });

test('this Node keeps listeners in an inheritable table (no fallback)', () => {
  expect(sharedListenerTable([]).inherited).toBe(true);
});

test('a shared listener is called with each emitter as this, listed and counted', () => {
  const { calls, shared } = recorder();
  const table = sharedListenerTable([['ping', shared]]);
  const [a, b] = [named('a'), named('b')];
  table.bindTo(a);
  table.bindTo(b);
  a.emit('ping', '1');
  b.emit('ping', '2');
  expect(calls).toEqual(['a:1', 'b:2']);
  expect(a.listeners('ping')).toEqual([shared]);
  expect(a.listenerCount('ping')).toBe(1);
  expect(Object.hasOwn((a as unknown as { _events: object })._events, 'ping')).toBe(false); // inherited
});

test("listeners added before and after are kept, and one emitter's additions stay its own", () => {
  const { calls, shared } = recorder();
  const table = sharedListenerTable([['ping', shared]]);
  const [a, b] = [named('a'), named('b')];
  a.on('other', () => calls.push('a:other'));
  table.bindTo(a);
  table.bindTo(b);
  a.on('ping', () => calls.push('a:extra'));
  a.emit('ping', '1');
  a.emit('other');
  b.emit('ping', '2');
  expect(calls).toEqual(['a:1', 'a:extra', 'a:other', 'b:2']);
  a.removeAllListeners();
  a.emit('ping', '3');
  expect(calls).toHaveLength(4);
});

test('an emitter already listening to a shared event gets the listeners by `on`', () => {
  const { calls, shared } = recorder();
  const table = sharedListenerTable([['ping', shared]]);
  const a = named('a');
  a.on('ping', () => calls.push('a:first'));
  table.bindTo(a);
  a.emit('ping', '1');
  expect(calls).toEqual(['a:first', 'a:1']);
});

test("Socket.IO's server socket is a Node EventEmitter", () => {
  expect(Object.prototype.isPrototypeOf.call(EventEmitter.prototype, Socket.prototype)).toBe(true);
});
