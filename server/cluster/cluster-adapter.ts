import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Namespace, ServerOptions } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import type { Membership } from '../lib/membership.js';
import type { RecoveryGate } from '../lib/recovery-gate.js';
import type { LiveSockets } from './live-sockets.js';
import { SESSION_KEY_PREFIX, type SessionRecords } from './session-records.js';

/** Session records are rewritten this often (or at a third of the recovery window, if shorter). */
const RECORD_REFRESH_MS = 10_000;

/** Disconnect reasons after which the client will not try to resume: its record goes at once. */
const DELIBERATE = new Set(['client namespace disconnect', 'server namespace disconnect']);

export interface ClusterAdapterOptions {
  redis: Redis;
  prefix: string;
  records: SessionRecords;
  liveSockets: LiveSockets;
  membership: Membership;
  /** What the /chat feature lets a restored session keep. */
  recoveryGate: RecoveryGate;
  recoveryWindowMs: number;
  /** Broadcasts the stream keeps (RECOVERY_STREAM_MAX_LEN). */
  maxLen: number;
  onError: (err: unknown) => void;
}

/**
 * The adapter of every namespace: `/chat` goes through the Redis stream (every node sees every broadcast, and
 * connection state recovery works across nodes); `/news` keeps the in-memory adapter, its items go over the
 * bus instead. A /chat socket's session record is written ahead whenever its rooms change (a session binds its
 * sockets to a room of its own, so that includes sign-in and registration), every RECORD_REFRESH_MS and when
 * Redis came back empty; it is restored only once its socket is gone (LiveSockets).
 */
export function clusterAdapter(options: ClusterAdapterOptions): NonNullable<ServerOptions['adapter']> {
  const { records, liveSockets } = options;
  const streams = createAdapter(options.redis, {
    streamName: `${options.prefix}stream`,
    maxLen: options.maxLen,
    channelPrefix: `${options.prefix}sio`,
    sessionKeyPrefix: SESSION_KEY_PREFIX,
    blockTimeInMs: 1000,
  });
  return function adapterFor(nsp: Namespace) {
    if (nsp.name !== '/chat') return new Adapter(nsp);
    const adapter = streams(nsp) as Adapter;
    liveSockets.attach(nsp);
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      // A rejection makes Socket.IO give the client a new connection, as for an unknown session.
      if (await liveSockets.isConnected(pid)) throw new Error('session not recovered: its socket is connected');
      const session = await restore(pid, offset);
      return session && options.recoveryGate.pass(session);
    };
    const touch = (id: string) => {
      const socket = nsp.sockets.get(id);
      if (socket) records.touch(socket);
    };
    const [addAll, del, close] = [adapter.addAll.bind(adapter), adapter.del.bind(adapter), adapter.close.bind(adapter)];
    adapter.addAll = (id, rooms) => {
      const done = addAll(id, rooms);
      touch(id);
      return done;
    };
    adapter.del = (id, room) => {
      const done = del(id, room);
      touch(id);
      return done;
    };
    nsp.on('connection', (socket) => {
      records.touch(socket);
      socket.on('disconnect', (reason) => {
        if (DELIBERATE.has(reason)) void records.forget(socket).catch(options.onError);
      });
    });
    const writeAll = () => records.write(nsp.sockets.values());
    options.membership.onReassert(writeAll);
    const refresh = setInterval(
      () => void writeAll().catch(options.onError),
      Math.min(RECORD_REFRESH_MS, options.recoveryWindowMs / 3),
    );
    refresh.unref();
    adapter.close = () => {
      clearInterval(refresh);
      return close();
    };
    return adapter;
  };
}
