import { Manager, type Socket } from 'socket.io-client';

/**
 * One Socket.IO Manager (one engine.io connection, so one WebSocket) per server URL, shared by every
 * element on the page: `/chat` and `/news` are namespaces multiplexed over it (socket.io docs, "Multiplexing").
 */
const managers = new Map<string, Manager>();

/** Where the bundle was loaded from: the chat server, also when a third-party page embeds it. */
export function defaultServer(): string {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
}

/** The server's origin for an attribute value; an empty value means the server the bundle came from. */
export function serverOrigin(server: string): string {
  return server.trim() === '' ? defaultServer() : new URL(server, location.href).origin;
}

/**
 * @example sharedManager('https://chat.example') === sharedManager('https://chat.example/') // true
 */
export function sharedManager(server: string): Manager {
  const origin = serverOrigin(server);
  let manager = managers.get(origin);
  if (!manager) {
    // autoConnect: sockets open it when they connect; the Manager reconnects with backoff on its own.
    manager = new Manager(origin, { autoConnect: false, reconnectionDelayMax: 3000 });
    managers.set(origin, manager);
  }
  return manager;
}

/** A namespace socket on the shared Manager; `auth` may be a function so each reconnect sends fresh values. */
export function namespaceSocket(
  server: string,
  nsp: '/chat' | '/news',
  auth?: (cb: (data: object) => void) => void,
): Socket {
  return sharedManager(server).socket(nsp, { ...(auth ? { auth } : {}) });
}

/** Connections a page has stopped reading on purpose (the namespaces demo's slow reader), and who wants to know. */
const notReading = new WeakSet<Manager>();
const readingListeners = new Set<() => void>();

/**
 * Says whether the page reads the Manager's connection: while it does not, what the server sends waits there,
 * so no element may call the connection healthy.
 * @example setReading(sharedManager(''), false)
 */
export function setReading(manager: Manager, reading: boolean): void {
  if (reading === !notReading.has(manager)) return;
  if (reading) notReading.delete(manager);
  else notReading.add(manager);
  for (const listener of readingListeners) listener();
}

export function isReading(manager: Manager): boolean {
  return !notReading.has(manager);
}

/** Calls `listener` whenever `setReading` changes something; returns the function that stops it. */
export function onReadingChange(listener: () => void): () => void {
  readingListeners.add(listener);
  return () => readingListeners.delete(listener);
}
