import { expect } from 'vitest';
import type { Ack, ConversationInfo, Message } from '../server/protocol/events.js';
import { chatAs, type ChatClient, collect, settle } from './helpers.js';

// What the private-conversation tests share, on one node (test/chat) and across two (test/cluster).

/** The reply's body; a refusal throws its code. */
export async function ok<T extends object>(reply: Promise<Ack<T>>): Promise<T> {
  const res = await reply;
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res;
}

/** The error code of a reply that must be a refusal. */
export async function refusal(reply: Promise<Ack<object>>): Promise<string> {
  const res = await reply;
  if (res.ok) throw new Error(`expected a refusal, got ${JSON.stringify(res)}`);
  return res.error.code;
}

/**
 * Asserts that, to `outsider`, `room` does not exist: every request about it answers NOT_FOUND, exactly as for a
 * server-named room nobody created, and none of what happens in it reaches the outsider's socket.
 */
export async function expectInvisible(outsider: ChatClient, room: string, member: ChatClient): Promise<void> {
  const heard = collect<{ room: string }>(outsider, 'message');
  const requests = (name: string) => [
    outsider.emitWithAck('room:join', name),
    outsider.emitWithAck('room:history', { room: name }),
    outsider.emitWithAck('room:members', name),
    outsider.emitWithAck('message:send', { room: name, text: 'let me in' }),
  ];
  const unknown = `_p-${'A'.repeat(22)}`;
  const [real, none] = await Promise.all([Promise.all(requests(room)), Promise.all(requests(unknown))]);
  expect(real).toEqual(
    none.map((res) => (res.ok ? res : { ...res, error: { ...res.error, message: expect.any(String) } })),
  );
  expect(real.map((res) => (res.ok ? 'ok' : res.error.code))).toEqual([
    'NOT_FOUND',
    'NOT_FOUND',
    'NOT_FOUND',
    'NOT_FOUND',
  ]);
  await ok(member.emitWithAck('message:send', { room, text: 'members only' }));
  await settle(member);
  await settle(outsider);
  expect(heard.filter((message) => message.room === room)).toEqual([]);
}

/** Collects `conversation` events of a client. */
export const conversationsOf = (client: ChatClient): ConversationInfo[] =>
  collect<ConversationInfo>(client, 'conversation');

/** Messages of one room a client received, from now on. */
export function messagesIn(client: ChatClient, room: string): () => Message[] {
  const all = collect<Message>(client, 'message');
  return () => all.filter((message) => message.room === room);
}

/** Clients with these nicks, registered at once. */
export async function chatsAs<N extends string[]>(url: string, ...nicks: N): Promise<{ [K in keyof N]: ChatClient }> {
  return (await Promise.all(nicks.map((nick) => chatAs(url, nick)))) as { [K in keyof N]: ChatClient };
}
