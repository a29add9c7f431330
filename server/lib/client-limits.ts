import {
  MAX_CONNECTIONS_PER_IP,
  MAX_CONVERSATIONS_PER_PERSON,
  MAX_PACKET_BURST,
  MAX_PACKETS_PER_SECOND,
  MAX_ROOMS_PER_SESSION,
  MAX_SESSIONS_PER_ADDRESS,
  MAX_SOCKETS_PER_SESSION,
} from '../protocol/limits.js';

/** What one person or one address may hold and send (issue 13); every field is a setting (server/config.ts). */
export interface ClientLimits {
  /** MAX_SOCKETS_PER_SESSION: /chat sockets presenting one session's token. */
  maxSocketsPerSession: number;
  /** MAX_CONNECTIONS_PER_IP: Engine.IO connections per client address, on this process. */
  maxConnectionsPerAddress: number;
  /** MAX_ROOMS_PER_SESSION: rooms the sockets of one session are in, together. */
  maxRoomsPerSession: number;
  /** MAX_CONVERSATIONS_PER_PERSON: direct, private and support conversations of one person (apart from rooms). */
  maxConversationsPerPerson: number;
  /** MAX_SESSIONS_PER_ADDRESS: live guest sessions created from one client address, across nodes. */
  maxSessionsPerAddress: number;
  /** MAX_PACKETS_PER_SECOND and MAX_PACKET_BURST: packets one connection may send. */
  packetsPerSecond: number;
  packetBurst: number;
  /** TRUST_PROXY: proxies in front whose X-Forwarded-For entries are believed (0 = none; see client-address.ts). */
  trustedProxies: number;
}

export const CLIENT_LIMIT_DEFAULTS: ClientLimits = {
  maxSocketsPerSession: MAX_SOCKETS_PER_SESSION,
  maxConnectionsPerAddress: MAX_CONNECTIONS_PER_IP,
  maxRoomsPerSession: MAX_ROOMS_PER_SESSION,
  maxConversationsPerPerson: MAX_CONVERSATIONS_PER_PERSON,
  maxSessionsPerAddress: MAX_SESSIONS_PER_ADDRESS,
  packetsPerSecond: MAX_PACKETS_PER_SECOND,
  packetBurst: MAX_PACKET_BURST,
  trustedProxies: 0,
};
