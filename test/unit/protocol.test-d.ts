import { expectTypeOf, test } from 'vitest';
import type {
  Ack,
  ChatAuth,
  ChatClientToServer,
  ChatServerToClient,
  Message,
  Notice,
  Report,
  ReportMessage,
  ResolveReport,
} from '../../server/protocol/events.js';
import type { AuthErrorCode, ConnectErrorCode, ErrorCode } from '../../server/protocol/errors.js';

test('acks are a union of ok bodies and coded errors', () => {
  type JoinReply = Parameters<Parameters<ChatClientToServer['room:join']>[1]>[0];
  expectTypeOf<JoinReply>().toEqualTypeOf<
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
  expectTypeOf<Extract<JoinReply, { ok: false }>['error']['code']>().toEqualTypeOf<ErrorCode>();
});

test('typing has no ack; message events carry whole messages', () => {
  expectTypeOf<Parameters<ChatClientToServer['typing']>>().toEqualTypeOf<[payload: { room: string }]>();
  expectTypeOf<Parameters<ChatServerToClient['message']>[0]>().toEqualTypeOf<Message>();
});

test('signed identity and moderation: handshake auth, identity, notice, room:ban', () => {
  expectTypeOf<ChatAuth>().toEqualTypeOf<{ jwt?: string; token?: string }>();
  expectTypeOf<Parameters<ChatServerToClient['identity']>[0]>().toEqualTypeOf<{
    nick: string;
    role: 'guest' | 'user' | 'moderator';
  }>();
  expectTypeOf<Notice['type']>().toEqualTypeOf<'ban' | 'unban'>();
  expectTypeOf<Notice['until']>().toEqualTypeOf<number | null | undefined>();
  type BanReply = Parameters<Parameters<ChatClientToServer['room:ban']>[1]>[0];
  expectTypeOf<BanReply>().toEqualTypeOf<Ack<{ room: string; nick: string; until: number | null }>>();
  expectTypeOf<'BANNED'>().toExtend<ErrorCode>();
  expectTypeOf<ConnectErrorCode>().toEqualTypeOf<'AUTH_INVALID' | 'AUTH_EXPIRED' | 'LIMIT_EXCEEDED'>();
  expectTypeOf<AuthErrorCode>().toEqualTypeOf<'AUTH_INVALID' | 'AUTH_EXPIRED'>();
});

test('hardening round 2: signed messages, ban reasons, token refresh and expiry', () => {
  expectTypeOf<Message['signed']>().toEqualTypeOf<true | undefined>();
  expectTypeOf<Notice['reason']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<Parameters<ChatClientToServer['room:ban']>[0]['reason']>().toEqualTypeOf<string | undefined>();
  type RefreshReply = Parameters<Parameters<ChatClientToServer['auth:refresh']>[1]>[0];
  expectTypeOf<Parameters<ChatClientToServer['auth:refresh']>[0]>().toEqualTypeOf<string>();
  expectTypeOf<RefreshReply>().toEqualTypeOf<Ack<{ exp: number }>>();
  expectTypeOf<Parameters<ChatServerToClient['auth:expired']>[0]>().toEqualTypeOf<{
    code: AuthErrorCode;
    message: string;
  }>();
  expectTypeOf<'AUTH_INVALID' | 'AUTH_EXPIRED'>().toExtend<ErrorCode>();
});

test('reports: message:report, the report event, report:resolve', () => {
  type ReportReply = Parameters<Parameters<ChatClientToServer['message:report']>[1]>[0];
  expectTypeOf<Parameters<ChatClientToServer['message:report']>[0]>().toEqualTypeOf<ReportMessage>();
  expectTypeOf<ReportMessage>().toEqualTypeOf<{ room: string; id: number; reason: string }>();
  expectTypeOf<ReportReply>().toEqualTypeOf<Ack<Record<never, never>>>();
  expectTypeOf<Parameters<ChatServerToClient['report']>[0]>().toEqualTypeOf<Report>();
  expectTypeOf<Report>().toEqualTypeOf<{
    id: number;
    room: string;
    messageId: number;
    author: string;
    reporter: string;
    reason: string;
    at: number;
    state: 'open' | 'dismissed' | 'deleted' | 'banned';
  }>();
  type ResolveReply = Parameters<Parameters<ChatClientToServer['report:resolve']>[1]>[0];
  expectTypeOf<ResolveReply>().toEqualTypeOf<Ack<{ report: Report }>>();
  expectTypeOf<ResolveReport['action']>().toEqualTypeOf<'dismiss' | 'delete' | 'ban'>();
});
