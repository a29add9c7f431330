import type { IncomingMessage } from 'node:http';
import { Socket as NetSocket } from 'node:net';
import type { Server, Socket } from 'socket.io';
import type { Logger } from './log.js';

/**
 * The private engine.io and `ws` fields that write-batching.ts, backpressure.ts and lean-connections.ts
 * rely on, in one place. None has a public equivalent today; if an upgrade renames one, those modules
 * would quietly stop working (no corking, no slow-client cut-off, requests kept in memory), so the
 * versions are pinned exactly in package.json, `missingInternals` is asserted by
 * test/unit/engine-internals.test.ts, and a running server logs a warning once when a connection lacks one.
 * The same test checks an undocumented event backpressure.ts listens to: engine.io's server emits `drain` with
 * the connection after each flush to its transport.
 */

/** Engine.IO's connection object behind a Socket.IO socket (both namespaces of a client share it). */
export type EngineConnection = Socket['conn'];

/** A packet in engine.io's write buffer (`Socket#writeBuffer`, private). */
export interface QueuedPacket {
  data?: unknown;
}

/** The `ws` WebSocket held by engine.io's websocket transport as `transport.socket` (not in its typings). */
export interface WsSocket {
  bufferedAmount: number;
  terminate(): void;
  /** ws's private TCP socket. */
  _socket?: NetSocket;
}

/** engine.io's websocket transport: `send` writes each packet as its own frame. */
export interface WebSocketTransport {
  name: string;
  send: (this: WebSocketTransport, packets: readonly unknown[]) => void;
  socket?: WsSocket;
}

/** engine.io adds these to the handshake request (both private). */
export interface EngineRequest extends IncomingMessage {
  _query?: unknown;
  websocket?: unknown;
}

export function transportOf(conn: EngineConnection): Partial<WebSocketTransport> {
  return conn.transport as unknown as Partial<WebSocketTransport>;
}

/** The `ws` socket of a websocket connection; undefined while it polls. */
export function webSocketOf(conn: EngineConnection): WsSocket | undefined {
  const transport = transportOf(conn);
  return transport.name === 'websocket' ? transport.socket : undefined;
}

export function writeBufferOf(conn: EngineConnection): QueuedPacket[] {
  return (conn as unknown as { writeBuffer?: QueuedPacket[] }).writeBuffer ?? [];
}

/**
 * Names of the private fields this connection (and, while connecting, its handshake request) lacks;
 * empty when every one the product relies on is there.
 */
export function missingInternals(conn: EngineConnection, request?: EngineRequest | null): string[] {
  const missing: string[] = [];
  if (!Array.isArray((conn as unknown as { writeBuffer?: unknown }).writeBuffer)) {
    missing.push('engine.io Socket#writeBuffer');
  }
  if (request !== undefined && request === null) missing.push('engine.io Socket#request');
  if (request && !('_query' in request)) missing.push('engine.io request._query');
  const transport = transportOf(conn);
  if (transport.name === 'websocket') {
    if (typeof transport.send !== 'function') missing.push('engine.io WebSocket transport#send');
    const ws = transport.socket;
    if (typeof ws?.bufferedAmount !== 'number') missing.push('ws WebSocket#bufferedAmount');
    if (typeof ws?.terminate !== 'function') missing.push('ws WebSocket#terminate');
    if (!(ws?._socket instanceof NetSocket)) missing.push('ws WebSocket#_socket');
  }
  return missing;
}

/**
 * Checks every new connection, and again after its upgrade to WebSocket, and logs once per process when
 * a field is missing. Register it before `dropHandshakeRequests`, which clears the request it reads.
 */
export function warnOnMissingInternals(io: Server, log: Logger): void {
  let warned = false;
  const check = (conn: EngineConnection, request?: EngineRequest | null) => {
    if (warned) return;
    const missing = missingInternals(conn, request);
    if (missing.length === 0) return;
    warned = true;
    log.warn(
      { missing },
      'engine.io/ws internals changed: write batching, slow-client guard or request dropping may be off; check the pinned versions',
    );
  };
  function checkUpgraded(this: EngineConnection): void {
    check(this);
  }
  io.engine.on('connection', (conn: EngineConnection) => {
    check(conn, conn.request);
    conn.on('upgrade', checkUpgraded); // shared by every connection; Engine.IO emits `upgrade` once
  });
}
