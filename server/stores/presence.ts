import type { RoomSummary } from '../protocol/events.js';

export interface PresenceChange {
  /** True when this changed who is in the room (the first socket of a nick came, or its last one went). */
  changed: boolean;
  /** Distinct nicks in the room afterwards. */
  count: number;
}

/**
 * Which nicks are in which room. A nick can be present through several sockets (tabs); it joins on the
 * first and leaves with the last, so presence events describe people, not connections.
 */
export interface PresenceRegistry {
  join(room: string, nick: string): Promise<PresenceChange>;
  leave(room: string, nick: string): Promise<PresenceChange>;
  rename(room: string, from: string, to: string): Promise<PresenceChange>;
  members(room: string): Promise<string[]>;
  rooms(limit: number): Promise<RoomSummary[]>;
}

export class MemoryPresence implements PresenceRegistry {
  /** room → nick → number of sockets through which the nick is in the room */
  private readonly roomMembers = new Map<string, Map<string, number>>();

  async join(room: string, nick: string): Promise<PresenceChange> {
    let members = this.roomMembers.get(room);
    if (!members) this.roomMembers.set(room, (members = new Map<string, number>()));
    const sockets = members.get(nick) ?? 0;
    members.set(nick, sockets + 1);
    return { changed: sockets === 0, count: members.size };
  }

  async leave(room: string, nick: string): Promise<PresenceChange> {
    const members = this.roomMembers.get(room);
    const sockets = members?.get(nick) ?? 0;
    if (!members || sockets === 0) return { changed: false, count: members?.size ?? 0 };
    if (sockets > 1) {
      members.set(nick, sockets - 1);
      return { changed: false, count: members.size };
    }
    members.delete(nick);
    if (members.size === 0) this.roomMembers.delete(room);
    return { changed: true, count: members.size };
  }

  async rename(room: string, from: string, to: string): Promise<PresenceChange> {
    const members = this.roomMembers.get(room);
    const sockets = members?.get(from);
    if (!members || sockets === undefined) return { changed: false, count: members?.size ?? 0 };
    members.delete(from);
    members.set(to, sockets);
    return { changed: true, count: members.size };
  }

  async members(room: string): Promise<string[]> {
    return [...(this.roomMembers.get(room)?.keys() ?? [])].sort((a, b) => a.localeCompare(b));
  }

  async rooms(limit: number): Promise<RoomSummary[]> {
    return [...this.roomMembers]
      .map(([name, members]) => ({ name, members: members.size }))
      .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name))
      .slice(0, limit);
  }
}
