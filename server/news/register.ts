import { ChatError, withAck } from '../lib/ack.js';
import type { AckEnv } from '../lib/ack.js';
import { budgetKey } from '../lib/budget-key.js';
import type { SocketRateLimiter } from '../lib/rate-limit.js';
import type { NewsDelivery } from '../protocol/events.js';
import { type NewsFeed, type NewsNamespace, topicKey, volatileTopicKey } from './feed.js';

function parseTopic(feed: NewsFeed, input: unknown): string {
  if (typeof input !== 'string') throw new ChatError('BAD_REQUEST', 'topic must be a string');
  if (!feed.hasTopic(input))
    throw new ChatError('TOPIC_INVALID', `unknown topic; topics are ${feed.topics.join(', ')}`);
  return input;
}

const DELIVERIES: readonly NewsDelivery[] = ['flow-controlled', 'volatile'];

/** `news:subscribe` takes a topic name, or `{ topic, delivery? }`; `delivery` undefined = the string form. */
function parseSubscription(feed: NewsFeed, input: unknown): { topic: string; delivery?: NewsDelivery } {
  if (typeof input === 'string') return { topic: parseTopic(feed, input) };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ChatError('BAD_REQUEST', 'subscribe to a topic name or { topic, delivery }');
  const { topic, delivery = 'flow-controlled' } = input as { topic?: unknown; delivery?: unknown };
  if (typeof topic !== 'string') throw new ChatError('BAD_REQUEST', 'topic must be a string');
  if (!DELIVERIES.includes(delivery as NewsDelivery))
    throw new ChatError('BAD_REQUEST', `delivery is ${DELIVERIES.join(' or ')}`);
  return { topic: parseTopic(feed, topic), delivery: delivery as NewsDelivery };
}

/** The only place /news events are bound; `requests` is the budget of its requests, per client address. */
export function registerNews(nsp: NewsNamespace, feed: NewsFeed, env: AckEnv, requests: SocketRateLimiter): void {
  nsp.on('connection', (socket) => {
    socket.on(
      'news:topics',
      withAck(env, 'news:topics', async () => {
        await requests.take(budgetKey(socket));
        return { topics: [...feed.topics] };
      }),
    );
    socket.on(
      'news:subscribe',
      withAck(env, 'news:subscribe', async (raw) => {
        const { topic, delivery } = parseSubscription(feed, raw);
        await requests.take(budgetKey(socket));
        // One delivery per topic and subscriber: subscribing again switches it.
        const [key, other] =
          delivery === 'volatile'
            ? [volatileTopicKey(topic), topicKey(topic)]
            : [topicKey(topic), volatileTopicKey(topic)];
        await socket.leave(other);
        await socket.join(key);
        return delivery === undefined ? { topic } : { topic, delivery };
      }),
    );
    socket.on(
      'news:unsubscribe',
      withAck(env, 'news:unsubscribe', async (raw) => {
        const topic = parseTopic(feed, raw);
        await requests.take(budgetKey(socket));
        await socket.leave(topicKey(topic));
        await socket.leave(volatileTopicKey(topic));
        return { topic };
      }),
    );
  });
}
