/** What a browser remembers per chat server: the nick, its session token and the rooms it had joined. */
export interface StoredSession {
  nick?: string;
  token?: string;
  rooms?: string[];
  /** The room in view when the page was last used: opening the chat again shows it. */
  lastRoom?: string;
  /** Messages not confirmed yet, so closing the tab while offline does not lose them. */
  outbox?: UnsentMessage[];
}

export interface UnsentMessage {
  clientId: string;
  room: string;
  text: string;
}

const isUnsent = (v: unknown): v is UnsentMessage => {
  const m = v as Partial<Record<keyof UnsentMessage, unknown>>;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof m.clientId === 'string' &&
    typeof m.room === 'string' &&
    typeof m.text === 'string'
  );
};

/** A signed user's session is kept apart from the guest's and from other users' on the same browser. */
const keyFor = (server: string, user?: string): string =>
  user === undefined ? `chat-session:${server}` : `chat-session:${server}#${user}`;

/** localStorage can be missing or throw (privacy modes, sandboxed iframes); then nothing is remembered. */
function loadSession(key: string): StoredSession {
  try {
    const raw = localStorage.getItem(key);
    const value: unknown = raw === null ? {} : JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return {};
    const { nick, token, rooms, lastRoom, outbox } = value as Record<string, unknown>;
    return {
      ...(typeof nick === 'string' ? { nick } : {}),
      ...(typeof token === 'string' ? { token } : {}),
      ...(Array.isArray(rooms) ? { rooms: rooms.filter((r): r is string => typeof r === 'string') } : {}),
      ...(typeof lastRoom === 'string' ? { lastRoom } : {}),
      ...(Array.isArray(outbox) ? { outbox: outbox.filter(isUnsent) } : {}),
    };
  } catch {
    return {};
  }
}

function saveSession(key: string, session: StoredSession): void {
  try {
    localStorage.setItem(key, JSON.stringify(session));
  } catch {
    // Not remembered; the app still works for this page view.
  }
}

/**
 * The session of one `<chat-app>`: read from storage when the element connects, written back only when a
 * change makes it differ from what was last written (so one change is one write, however it was reached).
 */
export class Session {
  private data: StoredSession = {};
  private key: string | undefined;
  private written = '';

  get nick(): string | undefined {
    return this.data.nick;
  }

  get token(): string | undefined {
    return this.data.token;
  }

  get rooms(): readonly string[] {
    return this.data.rooms ?? [];
  }

  get lastRoom(): string | undefined {
    return this.data.lastRoom;
  }

  get outbox(): readonly UnsentMessage[] {
    return this.data.outbox ?? [];
  }

  /** `user`: the signed user's id (`sub`), for a session of the host site's user rather than a guest's. */
  open(server: string, user?: string): void {
    this.key = keyFor(server, user);
    this.data = loadSession(this.key);
    this.written = JSON.stringify(this.data);
  }

  /** Merges the change (a key set to undefined is removed) and stores the result if it changed. */
  update(change: Partial<StoredSession>): void {
    const next: StoredSession = { ...this.data, ...change };
    for (const key of Object.keys(change) as (keyof StoredSession)[]) if (change[key] === undefined) delete next[key];
    this.data = next;
    const json = JSON.stringify(next);
    if (this.key === undefined || json === this.written) return;
    this.written = json;
    saveSession(this.key, next);
  }
}
