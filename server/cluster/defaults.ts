// The cluster's settings defaults, in a module of their own: config.ts reads them without loading Redis.

/** How often a node renews its lease. */
export const HEARTBEAT_MS = 2000;
/**
 * How long a lease lasts without renewal (NODE_LEASE_MS): how soon the survivors reap a dead node, and the
 * longest Redis stall a node rides out. It must be much longer than a renewal can take (the 3 s command timeout
 * plus a heartbeat): at 6 s a `DEBUG SLEEP 4.5` expired every lease and fenced the whole cluster (hardening
 * round 2, item 4).
 */
export const LEASE_TTL_MS = 15_000;
/** The shortest NODE_LEASE_MS: a renewal may take the 3 s command timeout, and must fit twice into a lease. */
export const LEASE_TTL_FLOOR_MS = 6000;
/**
 * Default of RECOVERY_STREAM_MAX_LEN: the /chat broadcasts the Redis stream keeps (XADD MAXLEN ~, so about this
 * many), shared by all nodes. What bounds Redis memory for recovery, as RECOVERY_BUFFER_BYTES does in one process.
 */
export const RECOVERY_STREAM_MAX_LEN = 10_000;
