import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { parseResolution } from '../chat/parse-report.js';
import { ReportClosed, resolveReport } from '../chat/report-resolution.js';
import { REPORTS_PAGE_MAX } from '../protocol/limits.js';
import { REPORT_STATES, type ReportList, type ReportState } from '../protocol/reports.js';
import { type AdminAccess, act, actorOf, positiveInteger } from './admin-access.js';
import type { AdminDeps } from './admin-routes.js';

/** `?state=`: absent (or empty) is `open`; one of REPORT_STATES, else 400 (a repeated parameter too). */
function stateQuery(ctx: Koa.Context): ReportState {
  const raw = ctx.query.state;
  if (raw === undefined || raw === '') return 'open';
  const state = REPORT_STATES.find((s) => s === raw);
  return state ?? ctx.throw(400, `BAD_REQUEST: state must be one of ${REPORT_STATES.join(', ')}`);
}

/**
 * Message reports in the admin API (`access.staff`): the list by state, newest first (REPORTS_PAGE_MAX), and the
 * resolution of one, with the same effect and audit entry as a moderator's `report:resolve`.
 */
export function reportRoutes(router: Router, access: AdminAccess, deps: Pick<AdminDeps, 'moderation'>): void {
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' });
  const ctxOf = deps.moderation;

  router.get('/api/admin/reports', ...access.staff, async (ctx) => {
    const body: ReportList = { reports: await ctxOf.reports.list(stateQuery(ctx), REPORTS_PAGE_MAX) };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.post('/api/admin/reports/:id/resolve', ...access.staff, json, async (ctx) => {
    const id = positiveInteger(ctx.params.id ?? '');
    if (Number.isNaN(id)) ctx.throw(400, 'BAD_REQUEST: the report id must be a positive integer');
    ctx.body = await act(ctx, async () => {
      try {
        return await resolveReport(ctxOf, id, parseResolution(ctx.request.body), actorOf(ctx));
      } catch (err) {
        // Before act() reads it as a ChatError: resolving twice is a conflict, not bad input.
        if (err instanceof ReportClosed) return ctx.throw(409, `CONFLICT: ${err.message}`);
        throw err;
      }
    });
  });
}
