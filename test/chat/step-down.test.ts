import { expect, test } from 'vitest';
import { SingleNode } from '../../server/lib/membership.js';
import type { Message } from '../../server/protocol/events.js';
import { chatAs, collect, nextEvent, useFreshServer } from '../helpers.js';

/**
 * A node whose lease lapses when the test says so: what LeasedNodes reports when a whole lease has passed on its
 * own clock without a renewal (a pause, a VM freeze), without pausing a process, so nothing but the packet check
 * can notice it first. The check is what this file tests; the cluster's own clock is in test/cluster/leases.test.ts
 * and a real SIGSTOP in test/cluster/rolling.test.ts.
 */
class LapsingNode extends SingleNode {
  lapsed = false;
  private readonly stepDown: (() => void)[] = [];

  override onLeaseLost(handler: () => void): void {
    this.stepDown.push(handler);
  }

  override stillMember(): boolean {
    if (!this.lapsed) return true;
    this.lapsed = false; // steps down once, as LeasedNodes does, then is a member again
    for (const handler of this.stepDown) handler();
    return false;
  }
}

const membership = new LapsingNode('test-node');
const server = useFreshServer({ membership });

test('a packet that arrives once the lease may have lapsed is dropped unhandled, and every connection is cut', async () => {
  const ana = await chatAs(server.url, 'ana');
  const bob = await chatAs(server.url, 'bob');
  await ana.emitWithAck('room:join', 'lapse');
  await bob.emitWithAck('room:join', 'lapse');
  const seen = collect<Message>(bob, 'message');
  const [anaCut, bobCut] = [nextEvent<string>(ana, 'disconnect'), nextEvent<string>(bob, 'disconnect')];

  membership.lapsed = true;
  ana.emit('message:send', { room: 'lapse', text: 'after the lease ran out' }, () => undefined);

  expect(await anaCut).toBe('transport close');
  expect(await bobCut).toBe('transport close'); // every connection, not only the one that spoke
  const reader = await chatAs(server.url, 'reader');
  const history = await reader.emitWithAck('room:history', { room: 'lapse' });
  expect(history.ok && history.messages).toEqual([]);
  expect(seen).toEqual([]);
});
