import { expect, test } from 'vitest';
import { SocketSteps } from '../../server/chat/socket-steps.js';

// A /chat socket's session changes run one after the other, and its other events wait for the resume
// (server/chat/socket-steps.ts). Over the network that wait is hard to catch: a client's first event comes a
// round trip after the connection, and the resume is usually done by then.

const turn = () => new Promise((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

test('events wait for the resume, and do not wait once it is done', async () => {
  const resume = deferred();
  const steps = new SocketSteps(
    () => resume.promise,
    () => undefined,
  );
  let resumed = false;
  void steps.resumed.then(() => (resumed = true));
  await turn();
  expect(resumed).toBe(false);
  resume.resolve();
  await turn();
  expect(resumed).toBe(true);
  let later = false;
  void steps.resumed.then(() => (later = true));
  await turn();
  expect(later).toBe(true);
});

test('a resume that fails is reported, and the events that waited go on', async () => {
  const failures: unknown[] = [];
  const steps = new SocketSteps(
    () => Promise.reject(new Error('store down')),
    (err) => failures.push(err),
  );
  await steps.resumed;
  expect(failures).toMatchObject([{ message: 'store down' }]);
});

test('session changes run one after the other, whatever the outcome of the one before', async () => {
  const resume = deferred();
  const steps = new SocketSteps(
    () => resume.promise,
    () => undefined,
  );
  const order: string[] = [];
  const register = steps.inOrder(() => {
    order.push('register');
    return Promise.reject(new Error('NICK_TAKEN'));
  });
  const rename = steps.inOrder(() => {
    order.push('rename');
    return Promise.resolve('ok');
  });
  await turn();
  expect(order).toEqual([]); // both wait for the resume
  resume.resolve();
  await expect(register).rejects.toThrow('NICK_TAKEN');
  await expect(rename).resolves.toBe('ok');
  expect(order).toEqual(['register', 'rename']);
  await expect(steps.inOrder(() => Promise.resolve('after an idle while'))).resolves.toBe('after an idle while');
});
