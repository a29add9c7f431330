import type Database from 'better-sqlite3';
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
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';

type Created = Awaited<ReturnType<ConversationStore['create']>>;
type ConversationParams = Omit<Conversation, 'owner'> & { owner: string | null };

interface MemberParams {
  room: string;
  person: string;
  nick: string;
  /** 0/1: better-sqlite3 binds no booleans. */
  granted: number;
  joinedAt: number;
}

const memberParams = (room: string, member: Member): MemberParams => ({
  room,
  person: member.person,
  nick: member.nick,
  granted: member.granted ? 1 : 0,
  joinedAt: Date.now(),
});

/**
 * `list`'s page: the person's conversations and, for the team, every support conversation, each with the id of
 * its room's latest message (one step down the messages (room, id) index), latest activity first (of two in
 * one millisecond, the later id). MATERIALIZED: else SQLite inlines `page` and looks each latest id up twice.
 */
const LIST_PAGE = `
  WITH listed AS (
    SELECT room FROM conversation_members WHERE person = @person
    UNION
    SELECT room FROM conversations WHERE @withSupport AND kind = 'support'
  ), page AS MATERIALIZED (
    SELECT c.*, (SELECT max(id) FROM messages m WHERE m.room = c.room) AS last_id
    FROM conversations c JOIN listed USING (room)
  )
  SELECT page.* FROM page LEFT JOIN messages m ON m.id = page.last_id
  ORDER BY coalesce(m.ts, page.created_at) DESC, page.last_id DESC, page.room
  LIMIT @limit`;

/** Statements that take a list of values take it as one JSON array (json_each), so one statement serves any length. */
function prepare(db: Database.Database) {
  return {
    insertConversation: db.prepare<ConversationParams, ConversationRow>(
      `INSERT INTO conversations (room, kind, title, owner, created_at)
       VALUES (@room, @kind, @title, @owner, @createdAt) ON CONFLICT (room) DO NOTHING RETURNING *`,
    ),
    // A person listed twice (a direct message to oneself) is one member.
    insertMember: db.prepare<MemberParams>(
      `INSERT INTO conversation_members (room, person, nick, granted, joined_at)
       VALUES (@room, @person, @nick, @granted, @joinedAt) ON CONFLICT (room, person) DO NOTHING`,
    ),
    insertUnderCap: db.prepare<MemberParams & { max: number }>(
      `INSERT INTO conversation_members (room, person, nick, granted, joined_at)
       SELECT @room, @person, @nick, @granted, @joinedAt
       WHERE (SELECT count(*) FROM conversation_members WHERE person = @person) < @max`,
    ),
    updateMember: db.prepare<MemberParams>(
      'UPDATE conversation_members SET nick = @nick, granted = @granted WHERE room = @room AND person = @person',
    ),
    deleteMember: db.prepare<[string, string]>('DELETE FROM conversation_members WHERE room = ? AND person = ?'),
    selectConversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE room = ?'),
    selectMembers: db.prepare<[string], MemberRow>(
      'SELECT * FROM conversation_members WHERE room = ? ORDER BY joined_at, person',
    ),
    selectMembership: db.prepare<[string, string], unknown>(
      'SELECT 1 FROM conversation_members WHERE room = ? AND person = ?',
    ),
    selectRooms: db.prepare<[string, number], { room: string }>(
      'SELECT room FROM conversation_members WHERE person = ? ORDER BY joined_at, room LIMIT ?',
    ),
    selectGrantedRooms: db.prepare<[string], { room: string }>(
      'SELECT room FROM conversation_members WHERE person = ? AND granted ORDER BY room',
    ),
    selectPage: db.prepare<{ person: string; withSupport: number; limit: number }, PageRow>(LIST_PAGE),
    selectPageMembers: db.prepare<[string], MemberRow>(
      `SELECT * FROM conversation_members WHERE room IN (SELECT value FROM json_each(?))
       ORDER BY joined_at, person`,
    ),
    selectMessages: db.prepare<[string], MessageRow>(
      'SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))',
    ),
    selectExisting: db.prepare<[string], { room: string }>(
      'SELECT room FROM conversations WHERE room IN (SELECT value FROM json_each(?))',
    ),
    renameEverywhere: db.prepare<[string, string]>('UPDATE conversation_members SET nick = ? WHERE person = ?'),
    deleteEverywhere: db.prepare<[string], { room: string }>(
      'DELETE FROM conversation_members WHERE person = ? RETURNING room',
    ),
  };
}

/**
 * Conversations in the SQLite database (`<dataDir>/chat.db`, synchronous=FULL). A write waits for a lock another
 * process holds as long as a send does (SQLITE_BUSY_TIMEOUT_MS), then fails. Adding a member to a conversation
 * that does not exist throws (a foreign key): callers find the conversation first.
 */
export class SqliteConversations implements ConversationStore {
  private readonly sql;
  private readonly createOnce;
  private readonly addUnderCap;
  private readonly removeAudited;
  private readonly listPage;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const sql = prepare(database.connection);
    this.sql = sql;
    this.createOnce = database.connection.transaction((conversation: Conversation, members: Member[]) => {
      const inserted = sql.insertConversation.get({ ...conversation, owner: conversation.owner ?? null });
      if (!inserted)
        return { conversation: toConversation(sql.selectConversation.get(conversation.room)!), created: false };
      for (const member of members) sql.insertMember.run(memberParams(conversation.room, member));
      return { conversation: toConversation(inserted), created: true };
    });
    const audit = auditWriter(database.connection);
    this.removeAudited = database.connection.transaction((room: string, person: string, record?: AuditRecord) => {
      const removed = sql.deleteMember.run(room, person).changes > 0;
      if (removed && record) audit(record);
      return removed;
    });
    // Run with .immediate: the write lock is taken before the count, so no other process adds in between.
    this.addUnderCap = database.connection.transaction((room: string, member: Member, max: number): AddResult => {
      const params = memberParams(room, member);
      if (sql.updateMember.run(params).changes > 0) return 'already';
      return sql.insertUnderCap.run({ ...params, max }).changes > 0 ? 'added' : 'full';
    });
    // One read transaction, so the members and last messages are those of the page's snapshot.
    this.listPage = database.connection.transaction((person: string, withSupport: boolean, limit: number) => {
      const page = sql.selectPage.all({ person, withSupport: withSupport ? 1 : 0, limit });
      const rooms = JSON.stringify(page.map((row) => row.room));
      const lastIds = JSON.stringify(page.flatMap((row) => (row.last_id === null ? [] : [row.last_id])));
      return toSummaries(page, sql.selectPageMembers.all(rooms), sql.selectMessages.all(lastIds));
    });
    this.release = database.retain();
  }

  async create(conversation: Conversation, members: Member[]): Promise<Created> {
    return this.createOnce(conversation, members);
  }

  async find(room: string): Promise<Conversation | undefined> {
    const row = this.sql.selectConversation.get(room);
    return row && toConversation(row);
  }

  async members(room: string): Promise<Member[]> {
    return this.sql.selectMembers.all(room).map(toMember);
  }

  async isMember(room: string, person: string): Promise<boolean> {
    return this.sql.selectMembership.get(room, person) !== undefined;
  }

  async addMember(room: string, member: Member, maxPerPerson: number): Promise<AddResult> {
    return this.addUnderCap.immediate(room, member, maxPerPerson);
  }

  async removeMember(room: string, person: string, audit?: AuditRecord): Promise<boolean> {
    return this.removeAudited(room, person, audit);
  }

  async roomsOf(person: string, limit: number): Promise<string[]> {
    return this.sql.selectRooms.all(person, limit).map((row) => row.room);
  }

  async grantedRoomsOf(person: string): Promise<string[]> {
    return this.sql.selectGrantedRooms.all(person).map((row) => row.room);
  }

  async list(person: string, withSupport: boolean, limit: number): Promise<ConversationSummary[]> {
    return this.listPage(person, withSupport, limit);
  }

  async conversationsAmong(rooms: string[]): Promise<Set<string>> {
    if (rooms.length === 0) return new Set();
    return new Set(this.sql.selectExisting.all(JSON.stringify(rooms)).map((row) => row.room));
  }

  async renamePerson(person: string, nick: string): Promise<void> {
    this.sql.renameEverywhere.run(nick, person);
  }

  async forgetPerson(person: string): Promise<string[]> {
    return this.sql.deleteEverywhere.all(person).map((row) => row.room);
  }

  async close(): Promise<void> {
    this.release();
  }
}
