import { z } from 'zod';
import { ChatError } from '../lib/ack.js';
import type { DeleteMessage, EditMessage, HistoryQuery, RoomMemberChange, SendMessage } from '../protocol/events.js';
import {
  MAX_BAN_REASON_CODE_POINTS,
  JOIN_HISTORY_SIZE,
  MAX_CLIENT_ID_LENGTH,
  MAX_COMBINING_MARKS_PER_BASE,
  MAX_HISTORY_PAGE,
  MAX_NICK_CODE_POINTS,
  MAX_ROOM_CODE_POINTS,
  MAX_TEXT_CODE_POINTS,
  MAX_TITLE_CODE_POINTS,
} from '../protocol/limits.js';
import { hasForbiddenControl, hasMarkPile, isWellFormed, nickLooksWrong, roomLooksWrong } from './text-rules.js';

/** Letters with their combining marks, digits of any script, `-` and `_`, counted in code points. */
const ROOM_NAME = new RegExp(`^[\\p{L}\\p{M}\\p{Nd}_-]{1,${MAX_ROOM_CODE_POINTS}}$`, 'u');
/** Control, format (zero-width, bidi), separator and other invisible code points have no place in a nick. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;

export const codePoints = (s: string): number => [...s].length;

function describeShape(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ');
}

export function parseShape<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ChatError('BAD_REQUEST', describeShape(result.error.issues));
  return result.data;
}

/** Trimmed and NFC-normalised; what other users will see. */
export function parseNick(input: unknown): string {
  if (typeof input !== 'string') throw new ChatError('BAD_REQUEST', 'nick must be a string');
  if (!isWellFormed(input)) throw new ChatError('NICK_INVALID', 'nick is not well-formed Unicode');
  const nick = input.normalize('NFC').trim();
  const length = codePoints(nick);
  if (length < 1 || length > MAX_NICK_CODE_POINTS) {
    throw new ChatError('NICK_INVALID', `nick must be 1-${MAX_NICK_CODE_POINTS} characters`);
  }
  if (INVISIBLE.test(nick))
    throw new ChatError('NICK_INVALID', 'nick must not contain control or invisible characters');
  const wrong = nickLooksWrong(nick);
  if (wrong !== undefined) throw new ChatError('NICK_INVALID', wrong);
  return nick;
}

/** Room names are NFC-normalised and case-sensitive; a name that could pass for another is refused. */
export function parseRoom(input: unknown): string {
  if (typeof input !== 'string') throw new ChatError('BAD_REQUEST', 'room must be a string');
  const room = input.normalize('NFC');
  if (!ROOM_NAME.test(room)) {
    throw new ChatError('ROOM_INVALID', `room: 1-${MAX_ROOM_CODE_POINTS} letters, digits, - or _`);
  }
  const wrong = roomLooksWrong(room);
  if (wrong !== undefined) throw new ChatError('ROOM_INVALID', wrong);
  return room;
}

const sendSchema = z.object({
  room: z.string(),
  text: z.string(),
  clientId: z.string().min(1).max(MAX_CLIENT_ID_LENGTH).refine(isWellFormed, 'not well-formed Unicode').optional(),
});

/** Message text, for `message:send` and `message:edit` alike: trimmed, what others will see. */
function parseText(text: string): string {
  const trimmed = text.trim();
  const length = codePoints(trimmed.normalize('NFC'));
  if (length < 1 || length > MAX_TEXT_CODE_POINTS) {
    throw new ChatError('MESSAGE_INVALID', `text must be 1-${MAX_TEXT_CODE_POINTS} characters`);
  }
  checkText(trimmed);
  return trimmed;
}

export function parseSend(input: unknown): SendMessage {
  const { room, text, clientId } = parseShape(sendSchema, input);
  const message: SendMessage = { text: parseText(text), room: parseRoom(room) };
  if (clientId !== undefined) message.clientId = clientId;
  return message;
}

function checkText(text: string): void {
  if (!isWellFormed(text)) throw new ChatError('MESSAGE_INVALID', 'text is not well-formed Unicode');
  if (hasForbiddenControl(text)) {
    throw new ChatError('MESSAGE_INVALID', 'text must not contain control characters other than newline and tab');
  }
  if (hasMarkPile(text.normalize('NFC'))) {
    throw new ChatError('MESSAGE_INVALID', `at most ${MAX_COMBINING_MARKS_PER_BASE} combining marks per character`);
  }
}

/** A field other than a message's text under the rules of message text, refused with BAD_REQUEST naming it. */
export function checkField(field: string, text: string): void {
  try {
    checkText(text);
  } catch (err) {
    if (err instanceof ChatError) throw new ChatError('BAD_REQUEST', `${field}: ${err.message}`);
    throw err;
  }
}

export const messageId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const editSchema = z.object({ room: z.string(), id: messageId, text: z.string() });

export function parseEdit(input: unknown): EditMessage {
  const { room, id, text } = parseShape(editSchema, input);
  return { text: parseText(text), room: parseRoom(room), id };
}

const deleteSchema = z.object({ room: z.string(), id: messageId });

/** `message:delete`, and `room:read` (the same shape: a room and a message id). */
export function parseDelete(input: unknown): DeleteMessage {
  const { room, id } = parseShape(deleteSchema, input);
  return { room: parseRoom(room), id };
}

/** Longest timed ban: a year; longer is a ban without end (no `minutes`). */
export const MAX_BAN_MINUTES = 365 * 24 * 60;

const banSchema = z.object({
  room: z.string(),
  nick: z.string(),
  minutes: z.number().positive().max(MAX_BAN_MINUTES).optional(),
  reason: z.string().optional(),
});

export interface ParsedBan {
  room: string;
  nick: string;
  minutes?: number | undefined;
  /** Trimmed; absent when not given or blank. */
  reason?: string | undefined;
}

/**
 * `room:ban` (and the admin API's ban): `minutes` a positive number up to a year, fractions allowed; `reason` up
 * to MAX_BAN_REASON_CODE_POINTS under the rules of message text (else BAD_REQUEST).
 */
export function parseBan(input: unknown): ParsedBan {
  const { room, nick, minutes, reason } = parseShape(banSchema, input);
  return { room: parseRoom(room), nick: parseNick(nick), minutes, reason: parseReason(reason) };
}

function parseReason(input: string | undefined): string | undefined {
  const reason = input?.trim();
  if (!reason) return undefined;
  if (codePoints(reason.normalize('NFC')) > MAX_BAN_REASON_CODE_POINTS) {
    throw new ChatError('BAD_REQUEST', `reason: at most ${MAX_BAN_REASON_CODE_POINTS} characters`);
  }
  checkField('reason', reason);
  return reason;
}

const roomAndNickSchema = z.object({ room: z.string(), nick: z.string() });

/** `room:unban`, `room:invite` and `room:kick`. */
export function parseRoomAndNick(input: unknown): RoomMemberChange {
  const { room, nick } = parseShape(roomAndNickSchema, input);
  return { room: parseRoom(room), nick: parseNick(nick) };
}

const nickSchema = z.object({ nick: z.string() });

/** `dm:open`. */
export function parseNickTarget(input: unknown): string {
  return parseNick(parseShape(nickSchema, input).nick);
}

const roomSchema = z.object({ room: z.string() });

/** `conversation:leave`. */
export function parseRoomTarget(input: unknown): string {
  return parseRoom(parseShape(roomSchema, input).room);
}

const createSchema = z.object({ title: z.string(), private: z.literal(true) });

/** `room:create`: only private rooms are created (a public room exists once someone joins it); the title trimmed. */
export function parseCreateRoom(input: unknown): string {
  const title = parseShape(createSchema, input).title.trim();
  const length = codePoints(title.normalize('NFC'));
  if (length < 1 || length > MAX_TITLE_CODE_POINTS) {
    throw new ChatError('BAD_REQUEST', `title must be 1-${MAX_TITLE_CODE_POINTS} characters`);
  }
  if (/[\n\r\t]/.test(title)) throw new ChatError('BAD_REQUEST', 'title must be one line');
  checkField('title', title);
  return title;
}

const historySchema = z
  .object({
    room: z.string(),
    before: messageId.optional(),
    after: messageId.optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional(),
  })
  .refine((q) => q.before === undefined || q.after === undefined, 'give before or after, not both');

export type ParsedHistoryQuery = Required<Pick<HistoryQuery, 'room' | 'limit'>> &
  Pick<HistoryQuery, 'before' | 'after'>;

export function parseHistoryQuery(input: unknown): ParsedHistoryQuery {
  const query = parseShape(historySchema, input);
  return { ...query, room: parseRoom(query.room), limit: query.limit ?? JOIN_HISTORY_SIZE };
}

const typingSchema = z.object({ room: z.string() });

/** Typing has no ack, so bad input yields undefined and is dropped. */
export function parseTyping(input: unknown): string | undefined {
  const result = typingSchema.safeParse(input);
  if (!result.success) return undefined;
  try {
    return parseRoom(result.data.room);
  } catch {
    return undefined;
  }
}
