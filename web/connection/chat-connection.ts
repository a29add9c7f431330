import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Socket } from 'socket.io-client';
import type { ChatAuth, ChatClientToServer, ChatServerToClient } from '../../server/protocol/events.js';
import { namespaceSocket } from './manager.js';

export type ChatSocket = Socket<ChatServerToClient, ChatClientToServer>;
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ChatConnectionOptions {
  server: () => string;
  /** Read at every (re)connect, so the handshake carries the latest `nick:register` token. */
  auth: () => ChatAuth;
  /** Binds the server-to-client events; called once per socket. */
  bind: (socket: ChatSocket) => void;
  /** `recovered`: Socket.IO connection state recovery gave back rooms, nick and missed messages. */
  onConnect: (recovered: boolean) => void;
  onDisconnect: () => void;
}

/** The /chat socket of one `<chat-app>`: it lives and dies with its host element. */
export class ChatConnection implements ReactiveController {
  status: ConnectionStatus = 'connecting';
  socket: ChatSocket | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ChatConnectionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.socket) {
      this.socket = namespaceSocket(this.options.server(), '/chat', (cb) => cb(this.options.auth()));
      this.options.bind(this.socket);
    }
    this.socket.on('connect', this.handleConnect).on('disconnect', this.handleDisconnect);
    this.socket.io.on('reconnect_attempt', this.handleAttempt);
    this.socket.connect();
  }

  hostDisconnected(): void {
    this.socket?.off('connect', this.handleConnect).off('disconnect', this.handleDisconnect);
    this.socket?.io.off('reconnect_attempt', this.handleAttempt);
    this.socket?.disconnect();
    this.status = 'offline';
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  private handleConnect = () => {
    this.status = 'online';
    this.host.requestUpdate();
    this.options.onConnect(this.socket?.recovered ?? false);
  };

  private handleDisconnect = () => {
    this.status = 'offline';
    this.host.requestUpdate();
    this.options.onDisconnect();
  };

  private handleAttempt = () => {
    if (this.status !== 'offline') return;
    this.host.requestUpdate();
  };
}
