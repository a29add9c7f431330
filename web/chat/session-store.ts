/** What a browser remembers per chat server: the nick, its session token and the rooms it had joined. */
export interface StoredSession {
  nick?: string;
  token?: string;
  rooms?: string[];
}

const keyFor = (server: string): string => `chat-session:${server}`;

/** localStorage can be missing or throw (privacy modes, sandboxed iframes); then nothing is remembered. */
export function loadSession(server: string): StoredSession {
  try {
    const raw = localStorage.getItem(keyFor(server));
    const value: unknown = raw === null ? {} : JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return {};
    const { nick, token, rooms } = value as Record<string, unknown>;
    return {
      ...(typeof nick === 'string' ? { nick } : {}),
      ...(typeof token === 'string' ? { token } : {}),
      ...(Array.isArray(rooms) ? { rooms: rooms.filter((r): r is string => typeof r === 'string') } : {}),
    };
  } catch {
    return {};
  }
}

export function saveSession(server: string, session: StoredSession): void {
  try {
    localStorage.setItem(keyFor(server), JSON.stringify(session));
  } catch {
    // Not remembered; the app still works for this page view.
  }
}
