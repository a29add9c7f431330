import { expect, test } from 'vitest';
import { MAX_ATTEMPTS, Outbox, type OutboxEntry, type SendOutcome } from '../../web/chat/outbox.js';

/** A scripted server: answers each attempt with the next outcome, and records what was sent. */
function fakeTransport(outcomes: SendOutcome[] = []) {
  const sent: { clientId: string; text: string }[] = [];
  const stored: string[] = [];
  let online = true;
  let nextId = 1;
  const transport = {
    ready: () => online,
    send: async (entry: OutboxEntry): Promise<SendOutcome> => {
      sent.push({ clientId: entry.clientId, text: entry.text });
      return outcomes.shift() ?? { kind: 'stored', id: nextId++, ts: 0 };
    },
    stored: (entry: OutboxEntry) => void stored.push(entry.text),
    changed: () => {},
  };
  return { transport, sent, stored, setOnline: (on: boolean) => void (online = on) };
}

test('messages go out one at a time, in the order they were typed', async () => {
  const { transport, sent, stored } = fakeTransport();
  const outbox = new Outbox(transport);
  outbox.add('lobby', 'one');
  outbox.add('lobby', 'two');
  outbox.add('lobby', 'three');
  await expect.poll(() => stored).toEqual(['one', 'two', 'three']);
  expect(sent.map((s) => s.text)).toEqual(['one', 'two', 'three']);
  expect(outbox.entries).toEqual([]);
});

test('an unanswered send is repeated with the same clientId, then shown as failed', async () => {
  const noAnswer: SendOutcome = { kind: 'no-answer' };
  const { transport, sent, stored } = fakeTransport([noAnswer, noAnswer]);
  const outbox = new Outbox(transport);
  outbox.add('lobby', 'hello');
  await expect.poll(() => stored).toEqual(['hello']);
  expect(sent).toHaveLength(3);
  expect(new Set(sent.map((s) => s.clientId)).size).toBe(1);

  const { transport: silent, sent: tries } = fakeTransport(Array(MAX_ATTEMPTS).fill(noAnswer));
  const stuck = new Outbox(silent);
  stuck.add('lobby', 'into the void');
  await expect.poll(() => stuck.entries[0]?.status).toBe('failed');
  expect(tries).toHaveLength(MAX_ATTEMPTS);
  expect(stuck.entries[0]?.error?.code).toBe('TIMEOUT');
});

test('offline, messages wait; back online, they are sent in order', async () => {
  const { transport, sent, setOnline } = fakeTransport();
  setOnline(false);
  const outbox = new Outbox(transport);
  outbox.add('lobby', 'a');
  outbox.add('lobby', 'b');
  await outbox.flush();
  expect(sent).toEqual([]);
  expect(outbox.entries.map((e) => e.status)).toEqual(['queued', 'queued']);
  setOnline(true);
  await outbox.flush();
  expect(sent.map((s) => s.text)).toEqual(['a', 'b']);
});

test('a refused message says why and can be retried or discarded', async () => {
  const refused: SendOutcome = { kind: 'rejected', error: { code: 'RATE_LIMITED', message: 'slow down' } };
  const { transport, stored } = fakeTransport([refused, refused]);
  const outbox = new Outbox(transport);
  const first = outbox.add('lobby', 'first');
  const second = outbox.add('lobby', 'second');
  await expect.poll(() => outbox.entries.map((e) => e.status)).toEqual(['failed', 'failed']);
  expect(first.error).toEqual({ code: 'RATE_LIMITED', message: 'slow down' });
  outbox.discard(second.clientId);
  outbox.retry(first.clientId);
  await expect.poll(() => stored).toEqual(['first']);
  expect(outbox.entries).toEqual([]);
});

test('the broadcast of our own message settles the entry even before the ack', () => {
  const { transport } = fakeTransport();
  const outbox = new Outbox({ ...transport, ready: () => false });
  const entry = outbox.add('lobby', 'hi');
  outbox.confirm(entry.clientId);
  expect(outbox.entries).toEqual([]);
});
