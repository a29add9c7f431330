import type { ServerOptions } from 'socket.io';
import type { SharedAddressCounts } from './lib/address-connections.js';
import type { Bus } from './lib/bus.js';
import type { Membership } from './lib/membership.js';
import type { ChatLimits } from './lib/rate-limit.js';
import type { AuditLog } from './stores/audit.js';
import type { RecoveryGate } from './lib/recovery-gate.js';
import type { BanStore } from './stores/bans.js';
import type { ConversationStore } from './stores/conversations.js';
import type { ReadStateStore } from './stores/read-state.js';
import type { ReportStore } from './stores/reports.js';
import type { RetentionStore } from './stores/retention.js';
import type { HistoryStore } from './stores/history.js';
import type { NewsSequence } from './stores/news-sequence.js';
import type { NickRegistry } from './stores/nicks.js';
import type { PresenceRegistry } from './stores/presence.js';
import type { SessionStore } from './stores/sessions.js';
import type { UserDataStore } from './stores/user-data.js';

/**
 * Every stateful part of the app, built by the composition root (`server/compose.ts`): embedded ones for one
 * process, shared ones (Redis, PostgreSQL) for a cluster. createApp and the features only see these interfaces.
 */
export interface AppStores {
  history: HistoryStore;
  /** Room bans: SQLite in DATA_DIR, or PostgreSQL whenever DATABASE_URL is set (so shared by a cluster). */
  bans: BanStore;
  /** The audit log of moderation, in the database of the bans (which, with the history, writes it). */
  audit: AuditLog;
  /** Direct messages, private rooms and support conversations, in the database of the history. */
  conversations: ConversationStore;
  /** Read markers per person and room, in the database of the history. */
  readState: ReadStateStore;
  /** A signed user's data, for the admin API's export and erasure; in the database of the history. */
  userData: UserDataStore;
  /** Reports of messages to the moderators, in the database of the history. */
  reports: ReportStore;
  /** Retention overrides per room and the purge of old messages, in the database of the history. */
  retention: RetentionStore;
  nicks: NickRegistry;
  presence: PresenceRegistry;
  sessions: SessionStore;
  newsSequence: NewsSequence;
  limits: ChatLimits;
  /** Socket.IO adapter class for every namespace; it may behave per namespace (see ChatRecoveryAdapter). */
  adapter: ServerOptions['adapter'];
  /** What /chat lets the adapter restore of a recovered session; given to the adapter, set by the feature. */
  recoveryGate: RecoveryGate;
  /** Messages to every node (this one included): news, typing, cache invalidations. */
  bus: Bus;
  /** Which nodes are alive: features reap a dead node's state and re-assert their own on its events. */
  membership: Membership;
  /** Connections per address on every node, so MAX_CONNECTIONS_PER_IP holds across them; unset: this process. */
  addressCounts?: SharedAddressCounts;
  /** Closes every store above and the connections behind them; the last step of the app's close. */
  closeStores(): Promise<void>;
}
