import { expectTypeOf, test } from 'vitest';
import type { Ack, ChatClientToServer, ChatServerToClient, Message } from '../../server/protocol/events.js';
import type { ErrorCode } from '../../server/protocol/errors.js';

test('acks are a union of ok bodies and coded errors', () => {
  type JoinReply = Parameters<Parameters<ChatClientToServer['room:join']>[1]>[0];
  expectTypeOf<JoinReply>().toEqualTypeOf<Ack<{ room: string; members: string[]; history: Message[] }>>();
  expectTypeOf<Extract<JoinReply, { ok: false }>['error']['code']>().toEqualTypeOf<ErrorCode>();
});

test('typing has no ack; message events carry whole messages', () => {
  expectTypeOf<Parameters<ChatClientToServer['typing']>>().toEqualTypeOf<[payload: { room: string }]>();
  expectTypeOf<Parameters<ChatServerToClient['message']>[0]>().toEqualTypeOf<Message>();
});
