import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RecentCount } from './recent-count.js';

/**
 * Prometheus metrics of one app, served at GET /metrics. A registry per app (not prom-client's global
 * one) so that tests can run several servers in one process.
 */
export function createMetrics(socketCounts: () => Record<string, number>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    replies: new Counter({
      name: 'chat_replies_total',
      help: 'Acknowledgement replies by event and result (ok or an error code)',
      labelNames: ['event', 'result'] as const,
      registers: [registry],
    }),
    messagesStored: new Counter({
      name: 'chat_messages_stored_total',
      help: 'Messages committed to history (retries with a known clientId not counted)',
      registers: [registry],
    }),
    /** The same sends over the last minute, for the admin overview (a counter's rate needs two scrapes). */
    recentMessages: new RecentCount(60_000),
  };
  new Gauge({
    name: 'chat_connected_sockets',
    help: 'Connected sockets per namespace (engine = transport connections)',
    labelNames: ['namespace'] as const,
    registers: [registry],
    collect() {
      for (const [namespace, count] of Object.entries(socketCounts())) this.set({ namespace }, count);
    },
  });
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
