import type { Message, ReadState } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import type { Conversations } from './conversations.js';
import type { Edits } from './edits.js';
import type { Moderation } from './moderation.js';
import type { Reports } from './reports.js';
import type { Resync } from './resync.js';
import type { Rooms } from './rooms.js';
import type { TypingTracker } from './typing.js';

/** The parts of a `ChatController` that the server's events change. */
export interface ServerEventTargets {
  rooms: Rooms;
  edits: Edits;
  moderation: Moderation;
  reports: Reports;
  conversations: Conversations;
  resync: Resync;
  typing: TypingTracker;
  nick(): string | undefined;
  /** A new message from a broadcast. */
  receive(message: Message): void;
  /** Another tab or device of this person read a room. */
  read(state: ReadState): void;
  changed(): void;
}

/** Binds the `/chat` server-to-client events to the client's state; called once per socket. */
export function bindServerEvents(socket: ChatSocket, to: ServerEventTargets): void {
  socket.on('message', (message) => to.receive(message));
  socket.on('presence', (presence) => to.rooms.applyPresence(presence));
  socket.on('presence:batch', (batch) => to.rooms.applyPresenceBatch(batch));
  // A change that timed out here may still have reached the server: its broadcast settles it.
  socket.on('message:updated', (update) => {
    to.edits.errors.delete(update.id);
    to.rooms.applyUpdate(update);
  });
  socket.on('message:deleted', (deletion) => {
    to.edits.errors.delete(deletion.id);
    to.rooms.applyDelete(deletion);
  });
  socket.on('identity', (identity) => {
    to.moderation.role = identity.role;
    void to.resync.identified(identity);
    if (identity.role === 'moderator') void to.reports.load();
  });
  socket.on('notice', (notice) => to.moderation.applyNotice(notice));
  socket.on('report', (report) => to.reports.apply(report));
  socket.on('conversation', (conversation) => to.conversations.apply(conversation));
  socket.on('read', (state) => to.read(state));
  socket.on('conversation:removed', ({ room }) => to.conversations.applyRemoved(room));
  socket.on('typing', ({ room, nick }) => {
    const state = to.rooms.byName.get(room);
    if (!state || nick === to.nick()) return;
    to.typing.received(state, nick);
    to.changed();
  });
}
