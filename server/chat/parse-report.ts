import { z } from 'zod';
import { ChatError } from '../lib/ack.js';
import { MAX_REPORT_REASON_CODE_POINTS } from '../protocol/limits.js';
import type { ReportMessage, ResolveReport } from '../protocol/reports.js';
import { MAX_BAN_MINUTES, checkField, codePoints, messageId, parseRoom, parseShape } from './parse.js';

const reportSchema = z.object({ room: z.string(), id: messageId, reason: z.string() });

/** `message:report`: `reason` required, trimmed, 1..MAX_REPORT_REASON_CODE_POINTS under the rules of message text. */
export function parseReport(input: unknown): ReportMessage {
  const { room, id, reason } = parseShape(reportSchema, input);
  const trimmed = reason.trim();
  const length = codePoints(trimmed.normalize('NFC'));
  if (length < 1 || length > MAX_REPORT_REASON_CODE_POINTS) {
    throw new ChatError('BAD_REQUEST', `reason must be 1-${MAX_REPORT_REASON_CODE_POINTS} characters`);
  }
  checkField('reason', trimmed);
  return { room: parseRoom(room), id, reason: trimmed };
}

const resolveSchema = z.strictObject({
  action: z.enum(['dismiss', 'delete', 'ban']),
  minutes: z.number().positive().max(MAX_BAN_MINUTES).optional(),
});

/** The body of a resolution: `minutes` only with `ban`, as `room:ban` takes it. */
export function parseResolution(input: unknown): ResolveReport {
  const { action, minutes } = parseShape(resolveSchema, input);
  if (minutes !== undefined && action !== 'ban') throw new ChatError('BAD_REQUEST', 'minutes: only with ban');
  return minutes === undefined ? { action } : { action, minutes };
}

/** `report:resolve`: the report's id beside the resolution. */
export function parseResolveEvent(input: unknown): ResolveReport & { id: number } {
  const { id, ...rest } = parseShape(z.object({ id: messageId }).passthrough(), input);
  return { id, ...parseResolution(rest) };
}
