import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatController } from '../../web/chat/chat-controller.js';
import { RoomPolicy } from '../../web/chat/room-policy.js';
import type { NoticeKind, RoomState } from '../../web/chat/room-state.js';
import type { ChatEventMap } from '../../web/events.js';
import { FakeChatServer } from './fake-chat-server.js';

/**
 * What `<chat-app>` is to its controllers, without Lit and without rendering: an element (so events bubble
 * from it) that runs the controllers' host callbacks and counts update requests.
 */
export interface TestHost extends ReactiveControllerHost, HTMLElement {
  updates: number;
  /** The element enters the page: every controller's `hostConnected`. */
  attach(): void;
  /** The element leaves the page (a closed tab, a reload): every controller's `hostDisconnected`. */
  detach(): void;
}

const attached = new Set<TestHost>();

/**
 * Every test starts with an empty page and empty storage; hosts left attached are detached (their timers end).
 * The web-unit project's setup file runs it after every test (test/web-unit/setup.ts); a file without a page
 * (the Manager canary runs in Node's environment) has nothing to empty.
 */
export function resetPage(): void {
  for (const host of attached) host.detach();
  if (typeof localStorage !== 'undefined') localStorage.clear();
}

export function testHost(): TestHost {
  const controllers = new Set<ReactiveController>();
  const host: TestHost = Object.assign(document.createElement('div'), {
    updates: 0,
    updateComplete: Promise.resolve(true),
    addController: (controller: ReactiveController) => void controllers.add(controller),
    removeController: (controller: ReactiveController) => void controllers.delete(controller),
    requestUpdate: () => void host.updates++,
    attach: () => {
      document.body.append(host);
      attached.add(host);
      for (const controller of controllers) controller.hostConnected?.();
    },
    detach: () => {
      attached.delete(host);
      for (const controller of controllers) controller.hostDisconnected?.();
      host.remove();
    },
  });
  return host;
}

export interface ChatOptions {
  /** The `room` attribute (or the URL hash): the room to show first. */
  room?: string;
  /** `lock-room` and `rooms`, as RoomPolicy reads them. */
  lock?: boolean;
  rooms?: string;
  /** The host site's signed token ('' or absent: a guest). */
  jwt?: string;
  /** `<chat-app support>`: the visitor's one conversation with the team. */
  support?: boolean;
}

/**
 * A ChatController on a test host, connected to `server` through the socket seam, as `<chat-app>` makes it.
 * The page is the chat server's own origin (happy-dom's URL), like the app served at `/`.
 */
export function openChat(server: FakeChatServer, options: ChatOptions = {}): { chat: ChatController; host: TestHost } {
  const host = testHost();
  const policy = new RoomPolicy({ lock: options.lock ?? false, room: options.room ?? '', rooms: options.rooms ?? '' });
  const chat = new ChatController(host, {
    server: () => location.origin,
    firstRoom: () => options.room,
    policy: () => policy,
    jwt: () => options.jwt ?? '',
    refreshJwt: () => undefined,
    support: () => options.support ?? false,
    socket: (auth) => server.socket(auth),
  });
  host.attach();
  return { chat, host };
}

/** A chat whose user registered `nick` (and so joined its first room) on `server`. */
export async function registered(
  server: FakeChatServer,
  nick: string,
  options: ChatOptions = {},
): Promise<{ chat: ChatController; host: TestHost }> {
  const opened = openChat(server, options);
  await opened.chat.submitNick(nick);
  await server.settle();
  if (!opened.chat.ready) throw new Error(`${nick} did not get ready`);
  return opened;
}

/** The details of every `name` event the host fires from now on. */
export function events<K extends keyof ChatEventMap>(host: HTMLElement, name: K): ChatEventMap[K][] {
  const seen: ChatEventMap[K][] = [];
  host.addEventListener(name, (e) => seen.push((e as CustomEvent<ChatEventMap[K]>).detail));
  return seen;
}

/** A room's messages as the list shows them, oldest first. */
export const messages = (room: RoomState | undefined) =>
  room?.timeline.flatMap((item) => (item.kind === 'message' ? [item.message] : [])) ?? [];
export const ids = (room: RoomState | undefined) => messages(room).map((m) => m.id);
export const texts = (room: RoomState | undefined) => messages(room).map((m) => m.text);
export const notices = (room: RoomState | undefined, kind?: NoticeKind) =>
  room?.timeline.flatMap((item) =>
    item.kind === 'notice' && (!kind || item.notice.kind === kind) ? [item.notice] : [],
  ) ?? [];

/** localStorage's record of the chat session of this page (see web/chat/session.ts). */
export function storedSession(): {
  nick?: string;
  token?: string;
  rooms?: string[];
  lastRoom?: string;
  outbox?: unknown[];
} {
  const raw = localStorage.getItem(`chat-session:${location.origin}`);
  return raw === null ? {} : (JSON.parse(raw) as ReturnType<typeof storedSession>);
}

export { FakeChatServer };
