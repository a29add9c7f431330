import { type Socket, io } from 'socket.io-client';
import type { ChatClientToServer, ChatServerToClient } from '../../server/protocol/events.js';

/** A full socket.io-client on /chat, for the probes that measure acks (the suite's lean clients cannot ack). */
export type ChatLoadClient = Socket<ChatServerToClient, ChatClientToServer>;

/** How often the open loop fires what is due. */
const TICK_MS = 10;

/** Connects over WebSocket only and registers `nick`; rejects on a refusal. */
export async function connectNamed(url: string, nick: string): Promise<ChatLoadClient> {
  const client: ChatLoadClient = io(`${url}/chat`, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const registered = await client.emitWithAck('nick:register', nick);
  if (!registered.ok) throw new Error(`nick:register: ${registered.error.code}`);
  return client;
}

/**
 * Open loop: calls `fire(i)` `perSecond` times a second on a 10 ms ticker, whatever the answers do, until
 * `done()`; resolves when every call has answered.
 */
export async function openLoop(perSecond: number, done: () => boolean, fire: (i: number) => Promise<void>) {
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let fired = 0;
  while (!done()) {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    for (; fired < due; fired++) pending.push(fire(fired));
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(pending);
}

/** A `done` for `openLoop`: true once `ms` have passed from now. */
export const forMs = (ms: number) => {
  const end = performance.now() + ms;
  return () => performance.now() >= end;
};
