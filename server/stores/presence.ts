import type { RoomSummary } from '../protocol/events.js';

/** One socket's presence in a room: which nick, which session, and the process (node) holding the socket. */
export interface PresenceEntry {
  nick: string;
  session: string;
  socket: string;
  node: string;
}

export interface PresenceChange {
  /** True when this changed who is in the room (the first socket of a nick came, or its last one went). */
  changed: boolean;
  /** Distinct nicks in the room afterwards. */
  count: number;
}

/** A nick whose last entry in a room was removed with its node. */
export interface PresenceLeft {
  room: string;
  nick: string;
  count: number;
}

/**
 * Which nicks are in which room. A nick can be present through several sockets (tabs); it joins on the
 * first and leaves with the last, so presence events describe people, not connections. Every entry names
 * its socket, session and node, so a shared registry can remove exactly a dead process's entries.
 */
export interface PresenceRegistry {
  /** Idempotent per socket. */
  join(room: string, entry: PresenceEntry): Promise<PresenceChange>;
  leave(room: string, socket: string): Promise<PresenceChange>;
  /** Gives every entry of `session` in the room the nick `to`. */
  rename(room: string, session: string, to: string): Promise<PresenceChange>;
  members(room: string): Promise<string[]>;
  rooms(limit: number): Promise<RoomSummary[]>;
  /** Removes every entry held through `node`; returns one item per nick that left a room by it. */
  removeNode(node: string): Promise<PresenceLeft[]>;
}

interface RoomState {
  bySocket: Map<string, PresenceEntry>;
  /** nick → number of sockets through which it is in the room */
  nicks: Map<string, number>;
}

export class MemoryPresence implements PresenceRegistry {
  private readonly roomStates = new Map<string, RoomState>();

  async join(room: string, entry: PresenceEntry): Promise<PresenceChange> {
    let state = this.roomStates.get(room);
    if (!state) this.roomStates.set(room, (state = { bySocket: new Map(), nicks: new Map() }));
    if (state.bySocket.has(entry.socket)) return { changed: false, count: state.nicks.size };
    state.bySocket.set(entry.socket, { ...entry });
    const sockets = state.nicks.get(entry.nick) ?? 0;
    state.nicks.set(entry.nick, sockets + 1);
    return { changed: sockets === 0, count: state.nicks.size };
  }

  async leave(room: string, socket: string): Promise<PresenceChange> {
    const state = this.roomStates.get(room);
    const entry = state?.bySocket.get(socket);
    if (!state || !entry) return { changed: false, count: state?.nicks.size ?? 0 };
    return { changed: this.remove(room, state, entry), count: state.nicks.size };
  }

  async rename(room: string, session: string, to: string): Promise<PresenceChange> {
    const state = this.roomStates.get(room);
    if (!state) return { changed: false, count: 0 };
    const entries = [...state.bySocket.values()].filter((entry) => entry.session === session);
    for (const entry of entries) {
      this.remove(room, state, entry);
      state.bySocket.set(entry.socket, { ...entry, nick: to });
      state.nicks.set(to, (state.nicks.get(to) ?? 0) + 1);
    }
    if (entries.length > 0) this.roomStates.set(room, state);
    return { changed: entries.length > 0, count: state.nicks.size };
  }

  async members(room: string): Promise<string[]> {
    return [...(this.roomStates.get(room)?.nicks.keys() ?? [])].sort((a, b) => a.localeCompare(b));
  }

  async rooms(limit: number): Promise<RoomSummary[]> {
    return [...this.roomStates]
      .map(([name, state]) => ({ name, members: state.nicks.size }))
      .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name))
      .slice(0, limit);
  }

  async removeNode(node: string): Promise<PresenceLeft[]> {
    const left: PresenceLeft[] = [];
    for (const [room, state] of [...this.roomStates]) {
      for (const entry of [...state.bySocket.values()]) {
        if (entry.node === node && this.remove(room, state, entry))
          left.push({ room, nick: entry.nick, count: state.nicks.size });
      }
    }
    return left;
  }

  /** True when it was the nick's last socket in the room. Drops the room when it empties. */
  private remove(room: string, state: RoomState, entry: PresenceEntry): boolean {
    state.bySocket.delete(entry.socket);
    const sockets = state.nicks.get(entry.nick) ?? 0;
    if (sockets > 1) {
      state.nicks.set(entry.nick, sockets - 1);
      return false;
    }
    state.nicks.delete(entry.nick);
    if (state.bySocket.size === 0) this.roomStates.delete(room);
    return true;
  }
}
