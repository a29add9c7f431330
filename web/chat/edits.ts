import type { ReactiveControllerHost } from 'lit';
import type { ChatSocket } from '../connection/chat-connection.js';
import { type ClientError, NO_ANSWER, request } from '../connection/request.js';
import type { Rooms } from './rooms.js';

/**
 * Editing and deleting your own messages: the composer's edit mode per room, the requests, and why the server
 * refused one (shown under the message, like a refused send). The broadcasts (`message:updated`,
 * `message:deleted`) update every page; the ack updates this one at once.
 */
export class Edits {
  /** Why the server refused an edit or a deletion, by message id, until the next try. */
  readonly errors = new Map<number, ClientError>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rooms: Rooms,
    private readonly deps: { socket: () => ChatSocket | undefined; nick: () => string | undefined },
  ) {}

  /** Puts one of your messages in the room's composer (your last one without `id`); `null` stops editing. */
  start(room: string, id?: number | null): void {
    const state = this.rooms.byName.get(room);
    if (!state) return;
    state.editing = id === null ? undefined : (id ?? state.lastOwn(this.deps.nick())?.id);
    state.touch();
    this.host.requestUpdate();
  }

  async edit(room: string, id: number, text: string): Promise<void> {
    const state = this.rooms.byName.get(room);
    if (state?.editing === id) this.start(room, null);
    if (state?.message(id)?.text === text) return;
    const res = await request(this.deps.socket(), 'message:edit', { room, id, text });
    this.settle(room, id, res);
    if (res?.ok) this.rooms.applyUpdate({ room, id, text, editedAt: res.editedAt });
  }

  async remove(room: string, id: number): Promise<void> {
    const res = await request(this.deps.socket(), 'message:delete', { room, id });
    this.settle(room, id, res);
    if (res?.ok) this.rooms.applyDelete({ room, id });
  }

  private settle(room: string, id: number, res: { ok: true } | { ok: false; error: ClientError } | undefined): void {
    if (res?.ok) this.errors.delete(id);
    else this.errors.set(id, res?.error ?? NO_ANSWER);
    this.rooms.byName.get(room)?.touch();
    this.host.requestUpdate();
  }
}
