import type { NewsFeed } from './feed.js';

const SUBJECTS: Record<string, string[]> = {
  markets: ['The index', 'The euro', 'Oil', 'The chip sector', 'The bond market', 'Gold', 'Bitcoin'],
  sports: ['The home side', 'The champion', 'A rookie', 'The visiting team', 'The captain', 'The relay team'],
  tech: ['A browser engine', 'A chip maker', 'An open-source project', 'A startup', 'A compiler', 'A database'],
};
const GENERIC_SUBJECTS = ['A reporter', 'The committee', 'An analyst', 'A spokesperson'];
const VERBS = ['rises', 'slips', 'surprises', 'holds steady', 'rebounds', 'stalls', 'breaks a record', 'draws a crowd'];
const ENDINGS = ['in early trading', 'after a late push', 'as the week closes', 'on fresh data', 'before the break'];

// Every subject is singular, to agree with the verbs.
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function demoHeadline(topic: string): string {
  return `${pick(SUBJECTS[topic] ?? GENERIC_SUBJECTS)} ${pick(VERBS)} ${pick(ENDINGS)}`;
}

/**
 * Keeps the page alive out of the box: `ratePerTopic` items per second on every topic, while `isLeader()`
 * (in a cluster, only the node holding the demo feed's lease publishes). Returns the function that stops it.
 */
export function startDemoFeed(
  feed: NewsFeed,
  ratePerTopic: number,
  onError: (err: unknown) => void,
  isLeader: () => boolean = () => true,
): () => void {
  if (ratePerTopic <= 0) return () => {};
  const timer = setInterval(() => {
    if (!isLeader()) return;
    for (const topic of feed.topics) feed.publish(topic, demoHeadline(topic)).catch(onError);
  }, 1000 / ratePerTopic);
  timer.unref();
  return () => clearInterval(timer);
}
