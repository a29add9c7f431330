import { ChatError } from '../lib/ack.js';
import type { Report, ReportAction, ResolveReport } from '../protocol/reports.js';
import type { AuditActor } from '../stores/audit.js';
import type { Resolution } from '../stores/reports.js';
import { type ModerationContext, banNick, byOf, removeMessage, subOf } from './moderation.js';
import { MODERATORS } from './reports.js';

/** The report was resolved already (HTTP answers 409; the socket NOT_ALLOWED). Nothing was done or recorded. */
export class ReportClosed extends ChatError {
  constructor(readonly report: Report) {
    super('NOT_ALLOWED', `report ${report.id} is ${report.state} already`);
  }
}

const STATE_OF: Record<ReportAction, Resolution['state']> = { dismiss: 'dismissed', delete: 'deleted', ban: 'banned' };

/**
 * The resolution's effect, as the moderator's own action would have it (the room gets `message:deleted`, or the
 * ban's `notice` and `left`), but without that action's audit entry: the resolution is one action, recorded once
 * as `resolve-report`. A message that no longer exists counts as deleted.
 */
async function apply(ctx: ModerationContext, report: Report, input: ResolveReport, actor: AuditActor) {
  const unaudited = { audited: false };
  if (input.action === 'delete') {
    await removeMessage(ctx, report.room, report.messageId, actor, unaudited).catch((err: unknown) => {
      if (!(err instanceof ChatError && err.code === 'NOT_FOUND')) throw err;
    });
  } else if (input.action === 'ban') {
    const ban = { room: report.room, nick: report.author, minutes: input.minutes, reason: report.reason };
    await banNick(ctx, ban, actor, unaudited);
  }
}

/**
 * Resolves an open report: its effect first, then the report's new state with its one audit entry in one
 * transaction, then a `report` event with the new state to the moderators. NOT_FOUND for no such report;
 * ReportClosed for one resolved already, or resolved by someone else while this effect was being applied (then
 * the effect stands, recorded by the other resolution's entry only).
 */
export async function resolveReport(ctx: ModerationContext, id: number, input: ResolveReport, actor: AuditActor) {
  const report = await ctx.reports.get(id);
  if (!report) throw new ChatError('NOT_FOUND', `no report ${id}`);
  if (report.state !== 'open') throw new ReportClosed(report);
  await apply(ctx, report, input, actor);
  const audit = {
    actor,
    action: 'resolve-report',
    room: report.room,
    target: String(id),
    reason: input.action,
  } as const;
  const resolution: Resolution = { state: STATE_OF[input.action], by: byOf(actor), at: Date.now(), audit };
  const resolved = await ctx.reports.resolve(id, resolution);
  if (!resolved) throw new ReportClosed((await ctx.reports.get(id)) ?? report);
  ctx.nsp.to(MODERATORS).emit('report', resolved);
  ctx.log.info({ by: byOf(actor), ...subOf(actor), report: id, action: input.action }, 'report resolved');
  return resolved;
}
