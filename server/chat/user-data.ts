import { ChatError } from '../lib/ack.js';
import type { Logger } from '../lib/log.js';
import type { ErasureResult, ExportHeader, ExportLine, ExportedMessage } from '../protocol/admin.js';
import type { Message } from '../protocol/events.js';
import type { AuditActor } from '../stores/audit.js';
import type { Ban } from '../stores/bans.js';
import { SIGNED_AUTHOR_PREFIX } from '../stores/history.js';
import type { DataSubject, UserDataStore } from '../stores/user-data.js';
import { type ChatNamespace, audienceOf } from './chat-socket.js';
import { nickKey } from './nick-key.js';
import { personOf } from './person.js';
import { sessionRoom } from './session-binding.js';
import { MAX_SUB_LENGTH } from './signed-identity.js';
import { isWellFormed } from './text-rules.js';

// Export and erasure of a signed user's data, for the admin API (http/admin-users.ts); docs/protocol.md.

/** Messages read from the store per query while an export streams. */
export const EXPORT_PAGE_SIZE = 500;

export interface UserDataContext {
  userData: UserDataStore;
  nsp: ChatNamespace;
  /** `Authenticator.sessionToken` under AUTH_SECRET; undefined without it (no signed sessions, no persons). */
  sessionToken: ((sub: string) => string) | undefined;
  log: Logger;
}

/** A `sub` as signed-identity.ts accepts one in a token: 1-256 code units of well-formed text. */
export function parseSub(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_SUB_LENGTH || !isWellFormed(raw)) {
    throw new ChatError('BAD_REQUEST', `sub must be a string of 1-${MAX_SUB_LENGTH} characters`);
  }
  return raw;
}

function subjectOf(ctx: UserDataContext, sub: string): DataSubject {
  const token = ctx.sessionToken?.(sub);
  return { author: SIGNED_AUTHOR_PREFIX + sub, person: token === undefined ? undefined : personOf(token) };
}

const exportedMessage = (m: Message): ExportedMessage => ({
  type: 'message',
  room: m.room,
  id: m.id,
  at: m.ts,
  nick: m.nick,
  text: m.text,
  ...(m.editedAt === undefined ? {} : { editedAt: m.editedAt }),
  deleted: m.deleted === true,
});

const exportedBan = (ban: Ban): ExportLine => ({
  type: 'ban',
  ...{ room: ban.room, nick: ban.nick, until: ban.until, reason: ban.reason ?? null, by: ban.by, at: ban.at },
});

/**
 * Records the export in the audit log (its own transaction: an export changes nothing else), then resolves
 * with the lines: the header with the counts, then the messages a page at a time, then bans, memberships and
 * read markers. A failed audit write rejects before any line, so no export goes unrecorded.
 */
export async function exportUser(ctx: UserDataContext, sub: string, actor: AuditActor) {
  const subject = subjectOf(ctx, sub);
  await ctx.userData.recordExport({ actor, action: 'export', room: null, target: sub, reason: null });
  const [counts, nicks] = await Promise.all([ctx.userData.counts(subject), ctx.userData.nicksOf(subject)]);
  const bans = await ctx.userData.bansOf([...new Set(nicks.map(nickKey))]);
  const header: ExportHeader = { type: 'export', sub, at: Date.now(), counts: { ...counts, bans: bans.length } };
  ctx.log.info({ messages: counts.messages }, 'signed user exported');
  return exportLines(ctx.userData, subject, header, bans);
}

async function* exportLines(store: UserDataStore, subject: DataSubject, header: ExportHeader, bans: Ban[]) {
  yield header as ExportLine;
  for (let after = 0; ;) {
    const page = await store.messages(subject.author, after, EXPORT_PAGE_SIZE);
    for (const message of page) yield exportedMessage(message);
    if (page.length < EXPORT_PAGE_SIZE) break;
    after = page.at(-1)!.id;
  }
  for (const ban of bans) yield exportedBan(ban);
  if (subject.person === undefined) return;
  for (const m of await store.memberships(subject.person)) yield { type: 'membership', ...m } as ExportLine;
  for (const r of await store.readMarkers(subject.person)) yield { type: 'readState', ...r } as ExportLine;
  for (const r of await store.reportsBy(subject.person)) yield { type: 'report', ...r } as ExportLine;
}

/**
 * Erases a signed user: their sockets on every node are disconnected (before, so that nothing new is sent
 * meanwhile, and after, for a socket that signed in meanwhile), then their messages become tombstones and their
 * memberships and read markers go, with the audit entry, in one transaction; live rooms get `message:deleted`.
 */
export async function eraseUser(ctx: UserDataContext, sub: string, actor: AuditActor): Promise<ErasureResult> {
  const subject = subjectOf(ctx, sub);
  const token = ctx.sessionToken?.(sub);
  const disconnect = () => token !== undefined && ctx.nsp.in(sessionRoom(token)).disconnectSockets(true);
  disconnect();
  const audit = { actor, action: 'erase', room: null, target: sub, reason: null } as const;
  const erased = await ctx.userData.erase(subject, audit);
  disconnect();
  for (const { room, id } of erased) ctx.nsp.to(audienceOf(room)).emit('message:deleted', { id, room });
  ctx.log.info({ messages: erased.length }, 'signed user erased');
  return { ok: true, messages: erased.length };
}
