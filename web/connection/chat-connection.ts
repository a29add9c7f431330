import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Socket } from 'socket.io-client';
import type {
  AuthErrorCode,
  ChatAuth,
  ChatClientToServer,
  ChatServerToClient,
  ConnectErrorCode,
} from '../../server/protocol/events.js';
import { isReading, namespaceSocket, onReadingChange, serverOrigin } from './manager.js';
import { serverAnswers, warnRefusedOrigin } from './origin-check.js';

export type ChatSocket = Socket<ChatServerToClient, ChatClientToServer>;
/**
 * `refused`: the server answers but does not accept this page's origin (see `origin-check.ts`).
 * `unauthorized`: it refused the host site's signed token (`AUTH_INVALID`, or `AUTH_EXPIRED` with no fresh one).
 * `full`: this session (this person) has as many windows open as the server allows (`LIMIT_EXCEEDED`).
 */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused' | 'unauthorized' | 'full';

/** A window refused for being one too many tries again this often: another may have been closed meanwhile. */
export const FULL_RETRY_MS = 10_000;

export interface ChatConnectionOptions {
  server: () => string;
  /** Read at every (re)connect, so the handshake carries the latest `nick:register` token. */
  auth: () => ChatAuth;
  /** Binds the server-to-client events; called once per socket. */
  bind: (socket: ChatSocket) => void;
  /** `recovered`: Socket.IO connection state recovery gave back rooms, nick and missed messages. */
  onConnect: (recovered: boolean) => void;
  onDisconnect: () => void;
  /** The server refused the handshake's signed token; the socket stays down until `connect()` is called. */
  onAuthRefused: (code: AuthErrorCode) => void;
  /**
   * Makes the socket instead of the page's shared Manager: the seam where `test/web-unit/` puts a socket whose
   * server is played by the test. Absent in the elements.
   */
  socket?: (auth: SocketAuth) => ChatSocket;
}

/** The handshake's `auth` as socket.io-client takes it: a function, so every (re)connect sends fresh values. */
export type SocketAuth = (cb: (data: object) => void) => void;

/** The code of a handshake the /chat namespace refused (`connect_error` with `data: { code }`), if it was that. */
function refusal(err: unknown): ConnectErrorCode | undefined {
  const code = (err as { data?: { code?: unknown } } | undefined)?.data?.code;
  return code === 'AUTH_INVALID' || code === 'AUTH_EXPIRED' || code === 'LIMIT_EXCEEDED' ? code : undefined;
}

/** The /chat socket of one `<chat-app>`: it lives and dies with its host element. */
export class ChatConnection implements ReactiveController {
  status: ConnectionStatus = 'connecting';
  socket: ChatSocket | undefined;
  private everConnected = false;
  private probing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopWatchingReading: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ChatConnectionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.socket) {
      const auth: SocketAuth = (cb) => cb(this.options.auth());
      this.socket = this.options.socket?.(auth) ?? namespaceSocket(this.options.server(), '/chat', auth);
      this.options.bind(this.socket);
    }
    this.socket.on('connect', this.handleConnect).on('disconnect', this.handleDisconnect);
    this.socket.on('connect_error', this.handleConnectError).on('auth:expired', this.handleExpired);
    this.socket.io.on('reconnect_attempt', this.handleAttempt);
    this.stopWatchingReading = onReadingChange(() => this.host.requestUpdate());
    this.socket.connect();
  }

  hostDisconnected(): void {
    this.socket?.off('connect', this.handleConnect).off('disconnect', this.handleDisconnect);
    this.socket?.off('connect_error', this.handleConnectError).off('auth:expired', this.handleExpired);
    this.socket?.io.off('reconnect_attempt', this.handleAttempt);
    this.stopWatchingReading?.();
    clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.status = 'offline';
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** False while the page has stopped reading the connection (see `setReading`): what is sent waits on the server. */
  get reading(): boolean {
    return this.socket ? isReading(this.socket.io) : true;
  }

  private handleConnect = () => {
    this.everConnected = true;
    this.status = 'online';
    this.host.requestUpdate();
    this.options.onConnect(this.socket?.recovered ?? false);
  };

  private handleDisconnect = () => {
    this.status = 'offline';
    this.host.requestUpdate();
    this.options.onDisconnect();
  };

  /** Reopens the handshake after a refusal (with a fresh token). */
  reconnect(): void {
    this.status = 'connecting';
    this.host.requestUpdate();
    this.socket?.connect();
  }

  /**
   * A refused token; or a handshake that fails before this element was ever online: refused origin, or a
   * server that is down.
   */
  private handleConnectError = (err: unknown) => {
    const code = refusal(err);
    if (code === 'LIMIT_EXCEEDED') {
      // Socket.IO does not retry a namespace's refusal by itself; a window closed elsewhere frees a place.
      this.status = 'full';
      this.host.requestUpdate();
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.socket?.connect(), FULL_RETRY_MS);
      return;
    }
    if (code) {
      // The element shows visitors a plain sentence; the site owner needs the server's reason.
      const reason = err instanceof Error ? err.message : '';
      console.warn(`Parley: the chat server refused this page's sign-in token (${code}): ${reason}`);
      this.status = 'unauthorized';
      this.host.requestUpdate();
      this.options.onAuthRefused(code);
      return;
    }
    const server = serverOrigin(this.options.server());
    if (server === location.origin) return; // the server's own origin is always allowed: it is down or busy
    if (this.everConnected || this.status === 'refused' || this.probing) return;
    this.probing = true;
    void serverAnswers(server).then((answers) => {
      this.probing = false;
      if (!answers || this.socket?.connected) return;
      this.status = 'refused';
      warnRefusedOrigin(server);
      this.host.requestUpdate();
    });
  };

  /** The server ended a live socket's signed rights (its token expired): like a refused handshake. */
  private handleExpired = ({ code }: { code: AuthErrorCode }) => {
    this.status = 'unauthorized';
    this.host.requestUpdate();
    this.options.onAuthRefused(code);
  };

  private handleAttempt = () => {
    if (this.status !== 'offline') return;
    this.host.requestUpdate();
  };
}
