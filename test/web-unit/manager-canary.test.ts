import { Manager, Socket } from 'socket.io-client';
import { expect, test } from 'vitest';
import { FakeManager } from './fake-manager.js';

// FakeManager (fake-manager.ts) stands in for socket.io-client's Manager under a real Socket. The Socket reaches
// its Manager through members that are not public API, so socket.io-client is pinned exactly in package.json,
// and this canary fails when an upgrade makes the Socket use a member the fake does not have.

/** The Manager members the Socket's code touches (`this.io.x`, `this.io["x"]`): the class's source names them all. */
function managerMembersUsedBySocket(): string[] {
  return [...new Set([...String(Socket).matchAll(/\bio(?:\.|\[["'])(\w+)/g)].map((m) => m[1]!))].sort();
}

test('every Manager member the Socket uses is one FakeManager has', () => {
  const used = managerMembersUsedBySocket();
  expect(used).toEqual([
    '_autoConnect',
    '_destroy',
    '_packet',
    '_readyState',
    '_reconnecting',
    'clearTimeoutFn',
    'engine',
    'open',
    'setTimeoutFn',
  ]);
  const fake = new FakeManager({ reachable: true, receive: () => undefined });
  for (const member of [...used, 'on', 'off']) expect(member in fake, member).toBe(true);
});

test('the real Manager has the members FakeManager imitates', () => {
  const manager = new Manager('http://127.0.0.1:9', { autoConnect: false });
  const internals = manager as unknown as Record<string, unknown>;
  expect(internals._readyState).toBe('closed');
  expect(internals._autoConnect).toBe(false);
  for (const member of ['_packet', '_destroy', 'open', 'setTimeoutFn', 'clearTimeoutFn', 'on', 'off'])
    expect(typeof internals[member], member).toBe('function');
});
