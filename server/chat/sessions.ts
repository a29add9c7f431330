import type { Session } from '../stores/sessions.js';
import type { ChatContext } from './context.js';
import { isSignedSession } from '../stores/nicks.js';
import { personOf } from './person.js';

/** How often detached sessions past their expiry are ended and their nicks freed. */
export const SESSION_SWEEP_MS = 1000;

/**
 * Frees the nick of a session that has gone for good. A guest's conversations go with it (a guest is a person only
 * as long as its session); a signed user's stay, for its next session.
 */
export async function releaseNick(ctx: ChatContext, session: Session): Promise<void> {
  if (session.nickKey !== undefined) await ctx.nicks.release(session.nickKey, session.token);
  if (!isSignedSession(session.token)) await ctx.conversations.forgetPerson(personOf(session.token));
}

/** Ends every session past its expiry. The store hands each one to exactly one sweeper. */
export async function sweepSessions(ctx: ChatContext): Promise<void> {
  for (const session of await ctx.sessions.takeExpired()) await releaseNick(ctx, session);
}

/**
 * Sweeps on an interval (the store holds expiry times, not timers). Returns the function that stops it.
 * A clean disconnect does not wait for it: the handler sweeps at once.
 */
export function startSessionSweeper(ctx: ChatContext, intervalMs: number): () => void {
  const timer = setInterval(() => {
    sweepSessions(ctx).catch((err) => ctx.log.error({ err }, 'sweeping sessions failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
