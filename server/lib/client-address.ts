import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import type { EngineConnection } from './engine-internals.js';

/**
 * The address a client connects from. With `trustedProxies` = 0 it is the TCP peer. Behind N trusted proxies
 * (TRUST_PROXY) each of them appends the address it received from to `X-Forwarded-For`, so the client is the
 * N-th address counted from the right of `[...X-Forwarded-For, peer]`: with one proxy, the rightmost
 * `X-Forwarded-For` entry. Entries further left were written by the client itself and are never trusted
 * (Express's "trust proxy" hop count works the same). A header shorter than that gives its leftmost entry.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? peer;
}

/**
 * The group a client address is counted in by a per-address budget: an IPv4 address itself (an IPv4-mapped IPv6
 * address as IPv4), an IPv6 address by its /64, which is what one subscriber usually gets (RFC 6177), so one
 * client cannot walk through a fresh budget per address of its prefix.
 *
 * @example addressGroup('2001:db8:1:2:aa::1') // '2001:db8:1:2::/64'
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const addresses = new WeakMap<EngineConnection, string>();

/**
 * Remembers each Engine.IO connection's client address while its handshake request is still there. Register it
 * before `dropHandshakeRequests`, which empties the request's headers.
 */
export function recordClientAddresses(io: Server, trustedProxies: number): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    if (conn.request) addresses.set(conn, clientAddress(conn.request, trustedProxies));
  });
}

/** The client address of a connection (see clientAddress). */
export function addressOf(conn: EngineConnection): string {
  return addresses.get(conn) ?? conn.remoteAddress;
}
