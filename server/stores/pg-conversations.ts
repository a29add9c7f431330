import type { Pool } from 'pg';
import {
  type ConversationRow,
  type MemberRow,
  type PageRow,
  toConversation,
  toMember,
  toSummaries,
} from './conversation-rows.js';
import type { AddResult, Conversation, ConversationStore, ConversationSummary, Member } from './conversations.js';
import type { AuditRecord } from './audit.js';
import type { MessageRow } from './message-row.js';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';
import { MEMBERSHIP_LOCK_CLASS } from './pg-migrations.js';

type Created = Awaited<ReturnType<ConversationStore['create']>>;

const INSERT_CONVERSATION = `INSERT INTO conversations (room, kind, title, owner, created_at)
  VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room) DO NOTHING RETURNING *`;
// A person listed twice (a direct message to oneself) is one member.
const INSERT_MEMBERS = `INSERT INTO conversation_members (room, person, nick, granted, joined_at)
  SELECT $1::text, person, nick, granted, $5::bigint
  FROM unnest($2::text[], $3::text[], $4::boolean[]) AS m(person, nick, granted)
  ON CONFLICT (room, person) DO NOTHING`;
const UPDATE_MEMBER = 'UPDATE conversation_members SET nick = $3, granted = $4 WHERE room = $1 AND person = $2';
const INSERT_UNDER_CAP = `INSERT INTO conversation_members (room, person, nick, granted, joined_at)
  SELECT $1::text, $2::text, $3::text, $4::boolean, $5::bigint
  WHERE (SELECT count(*) FROM conversation_members WHERE person = $2) < $6`;

/**
 * `list`'s page: the person's conversations and, for the team, every support conversation, latest activity first.
 * LATERAL makes the latest message of each one step down the messages (room, id) index; a join on max(id) would
 * let the planner hash all of `messages` instead.
 */
const LIST_PAGE = `
  WITH listed AS (
    SELECT room FROM conversation_members WHERE person = $1
    UNION
    SELECT room FROM conversations WHERE $2 AND kind = 'support'
  )
  SELECT c.*, last.id AS last_id
  FROM conversations c JOIN listed USING (room)
  LEFT JOIN LATERAL (SELECT id, ts FROM messages m WHERE m.room = c.room ORDER BY id DESC LIMIT 1) last ON true
  ORDER BY coalesce(last.ts, c.created_at) DESC, last.id DESC NULLS LAST, c.room
  LIMIT $3`;

/**
 * Conversations in PostgreSQL (the database of the history, on its pool), so every node of a cluster reads the same.
 * Adding a member to a conversation that does not exist throws (a foreign key): callers find the conversation first.
 */
export class PgConversations implements ConversationStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  /**
   * When another transaction inserts the room first, ON CONFLICT waits for its commit and inserts nothing; the
   * SELECT after it (a new snapshot: READ COMMITTED) then reads the winner's row.
   */
  async create(conversation: Conversation, members: Member[]): Promise<Created> {
    const { room, kind, title, owner, createdAt } = conversation;
    const values = [room, kind, title, owner ?? null, createdAt];
    return inTransaction(this.pool, async (client) => {
      const inserted = await client.query<ConversationRow>(INSERT_CONVERSATION, values);
      if (!inserted.rows[0]) {
        const stored = await client.query<ConversationRow>('SELECT * FROM conversations WHERE room = $1', [room]);
        return { conversation: toConversation(stored.rows[0]!), created: false };
      }
      const columns = [members.map((m) => m.person), members.map((m) => m.nick), members.map((m) => !!m.granted)];
      if (members.length > 0) await client.query(INSERT_MEMBERS, [room, ...columns, Date.now()]);
      return { conversation: toConversation(inserted.rows[0]), created: true };
    });
  }

  async find(room: string): Promise<Conversation | undefined> {
    const { rows } = await this.pool.query<ConversationRow>('SELECT * FROM conversations WHERE room = $1', [room]);
    return rows[0] && toConversation(rows[0]);
  }

  async members(room: string): Promise<Member[]> {
    const { rows } = await this.pool.query<MemberRow>(
      'SELECT * FROM conversation_members WHERE room = $1 ORDER BY joined_at, person',
      [room],
    );
    return rows.map(toMember);
  }

  async isMember(room: string, person: string): Promise<boolean> {
    const sql = 'SELECT 1 FROM conversation_members WHERE room = $1 AND person = $2';
    return (await this.rowCount(sql, [room, person])) > 0;
  }

  /**
   * Under the person's advisory lock (MEMBERSHIP_LOCK_CLASS), held to the commit: the transaction of another node
   * adding the same person waits for it, then counts this one's row (READ COMMITTED reads what committed before
   * each statement), so two adds at once cannot both pass the cap.
   */
  async addMember(room: string, member: Member, maxPerPerson: number): Promise<AddResult> {
    const params = [room, member.person, member.nick, !!member.granted];
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MEMBERSHIP_LOCK_CLASS, member.person]);
      if (((await client.query(UPDATE_MEMBER, params)).rowCount ?? 0) > 0) return 'already';
      const inserted = await client.query(INSERT_UNDER_CAP, [...params, Date.now(), maxPerPerson]);
      return (inserted.rowCount ?? 0) > 0 ? 'added' : 'full';
    });
  }

  async removeMember(room: string, person: string, audit?: AuditRecord): Promise<boolean> {
    const sql = 'DELETE FROM conversation_members WHERE room = $1 AND person = $2';
    if (!audit) return (await this.rowCount(sql, [room, person])) > 0;
    return inTransaction(this.pool, async (client) => {
      const removed = ((await client.query(sql, [room, person])).rowCount ?? 0) > 0;
      if (removed) await appendAudit(client, audit);
      return removed;
    });
  }

  async roomsOf(person: string, limit: number): Promise<string[]> {
    const sql = 'SELECT room FROM conversation_members WHERE person = $1 ORDER BY joined_at, room LIMIT $2';
    return this.rooms(sql, [person, limit]);
  }

  async grantedRoomsOf(person: string): Promise<string[]> {
    return this.rooms('SELECT room FROM conversation_members WHERE person = $1 AND granted ORDER BY room', [person]);
  }

  /** The page, then its members and last messages at once (each read sees what committed before it). */
  async list(person: string, withSupport: boolean, limit: number): Promise<ConversationSummary[]> {
    const page = (await this.pool.query<PageRow>(LIST_PAGE, [person, withSupport, limit])).rows;
    if (page.length === 0) return [];
    const lastIds = page.flatMap((row) => (row.last_id === null ? [] : [row.last_id]));
    const [members, messages] = await Promise.all([
      this.pool.query<MemberRow>(
        'SELECT * FROM conversation_members WHERE room = ANY($1::text[]) ORDER BY joined_at, person',
        [page.map((row) => row.room)],
      ),
      this.pool.query<MessageRow>('SELECT * FROM messages WHERE id = ANY($1::bigint[])', [lastIds]),
    ]);
    return toSummaries(page, members.rows, messages.rows);
  }

  async conversationsAmong(rooms: string[]): Promise<Set<string>> {
    if (rooms.length === 0) return new Set();
    return new Set(await this.rooms('SELECT room FROM conversations WHERE room = ANY($1::text[])', [rooms]));
  }

  async renamePerson(person: string, nick: string): Promise<void> {
    await this.pool.query('UPDATE conversation_members SET nick = $2 WHERE person = $1', [person, nick]);
  }

  async forgetPerson(person: string): Promise<string[]> {
    return this.rooms('DELETE FROM conversation_members WHERE person = $1 RETURNING room', [person]);
  }

  async close(): Promise<void> {
    await this.release();
  }

  private async rowCount(sql: string, params: unknown[]): Promise<number> {
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }

  private async rooms(sql: string, params: unknown[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ room: string }>(sql, params);
    return rows.map((row) => row.room);
  }
}
