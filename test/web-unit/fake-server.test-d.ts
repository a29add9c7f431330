import { expectTypeOf, test } from 'vitest';
import type {
  Ack,
  ChatClientToServer,
  ConversationListing,
  HistoryQuery,
  Message,
} from '../../server/protocol/events.js';
import type { AckedEvent, Handler, ReplyTo, RequestArgs } from './fake-server.js';

// The fake server is typed by the contract: a new or changed event in server/protocol/events.ts changes these
// types, so FakeChatServer's default handlers (a map over AckedEvent) stop compiling until the fake follows.

test('every client event but typing takes an ack, and the fake has to answer each', () => {
  expectTypeOf<AckedEvent>().toEqualTypeOf<Exclude<keyof ChatClientToServer, 'typing'>>();
});

test("a handler gets the request's arguments and returns the contract's reply", () => {
  expectTypeOf<RequestArgs<'room:join'>>().toEqualTypeOf<[room: string]>();
  expectTypeOf<RequestArgs<'rooms:list'>>().toEqualTypeOf<[]>();
  expectTypeOf<RequestArgs<'room:history'>>().toEqualTypeOf<[query: HistoryQuery]>();
  expectTypeOf<ReplyTo<'room:join'>>().toEqualTypeOf<
    Ack<{
      room: string;
      members: string[];
      history: Message[];
      readId: number;
      unread: number;
      mentions: number;
      retentionDays: number;
    }>
  >();
  expectTypeOf<Handler<'message:send'>>().returns.toExtend<
    Ack<{ id: number; ts: number }> | symbol | Promise<Ack<{ id: number; ts: number }> | symbol>
  >();
});

test('the conversation requests are in the map the fake answers, with their replies', () => {
  expectTypeOf<RequestArgs<'conversations:list'>>().toEqualTypeOf<[]>();
  expectTypeOf<RequestArgs<'dm:open'>>().toEqualTypeOf<[target: { nick: string }]>();
  expectTypeOf<ReplyTo<'support:open'>>().toEqualTypeOf<Ack<{ room: string; kind: 'support' }>>();
  expectTypeOf<ReplyTo<'conversations:list'>>().toEqualTypeOf<Ack<{ conversations: ConversationListing[] }>>();
});
