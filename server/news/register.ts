import { ChatError, withAck } from '../lib/ack.js';
import type { AckEnv } from '../lib/ack.js';
import type { SocketRateLimiter } from '../lib/rate-limit.js';
import { type NewsFeed, type NewsNamespace, topicKey } from './feed.js';

function parseTopic(feed: NewsFeed, input: unknown): string {
  if (typeof input !== 'string') throw new ChatError('BAD_REQUEST', 'topic must be a string');
  if (!feed.hasTopic(input))
    throw new ChatError('TOPIC_INVALID', `unknown topic; topics are ${feed.topics.join(', ')}`);
  return input;
}

/** The only place /news events are bound; `requests` is the per-socket budget shared by its requests. */
export function registerNews(nsp: NewsNamespace, feed: NewsFeed, env: AckEnv, requests: SocketRateLimiter): void {
  nsp.on('connection', (socket) => {
    socket.on(
      'news:topics',
      withAck(env, 'news:topics', async () => {
        await requests.take(socket.id);
        return { topics: [...feed.topics] };
      }),
    );
    socket.on(
      'news:subscribe',
      withAck(env, 'news:subscribe', async (raw) => {
        const topic = parseTopic(feed, raw);
        await requests.take(socket.id);
        await socket.join(topicKey(topic));
        return { topic };
      }),
    );
    socket.on(
      'news:unsubscribe',
      withAck(env, 'news:unsubscribe', async (raw) => {
        const topic = parseTopic(feed, raw);
        await requests.take(socket.id);
        await socket.leave(topicKey(topic));
        return { topic };
      }),
    );
    socket.on('disconnect', () => {
      requests.forget(socket.id).catch((err: unknown) => env.log.error({ err }, 'forgetting a rate limit failed'));
    });
  });
}
