import { expect, test } from 'vitest';
import { PresenceDiff } from '../../server/chat/presence-diff.js';

/** What a client holds after applying a batch in the documented order: left, renamed, joined. */
function applied(members: string[], diff: PresenceDiff): string[] {
  const { joined = [], left = [], renamed = [] } = diff.changes();
  const set = new Set(members);
  for (const nick of left) set.delete(nick);
  for (const { from, to } of renamed) if (set.delete(from)) set.add(to);
  for (const nick of joined) set.add(nick);
  return [...set].sort();
}

test('a nick that comes and goes within a batch is not mentioned', () => {
  const diff = new PresenceDiff();
  diff.join('cid');
  diff.leave('cid');
  expect(diff.empty).toBe(true);
});

test('a chain of renames is one rename, and renaming back is none', () => {
  const diff = new PresenceDiff();
  diff.rename('a', 'b');
  diff.rename('b', 'c');
  expect(diff.changes()).toEqual({ renamed: [{ from: 'a', to: 'c' }] });
  diff.rename('c', 'a');
  expect(diff.empty).toBe(true);
});

test('a renamed nick that leaves leaves under the name the clients know', () => {
  const diff = new PresenceDiff();
  diff.rename('bea', 'beatrix');
  diff.leave('beatrix');
  expect(diff.changes()).toEqual({ left: ['bea'] });
});

test('applied in order, a batch gives the members the room has', () => {
  const cases: [string, (d: PresenceDiff) => void, string[]][] = [
    ['a nick left, then another took it by a rename', (d) => (d.leave('ana'), d.rename('bea', 'ana')), ['ana']],
    ['a nick left, then someone new joined with it', (d) => (d.leave('ana'), d.join('ana')), ['ana', 'bea']],
    ['a newcomer renamed', (d) => (d.join('cid'), d.rename('cid', 'cy')), ['ana', 'bea', 'cy']],
    [
      'a rename, then the old nick taken by a newcomer',
      (d) => (d.rename('ana', 'al'), d.join('ana')),
      ['al', 'ana', 'bea'],
    ],
    [
      'renamed, then left, then the new name joined',
      (d) => (d.rename('ana', 'al'), d.leave('al'), d.join('al')),
      ['al', 'bea'],
    ],
  ];
  for (const [name, changes, expected] of cases) {
    const diff = new PresenceDiff();
    changes(diff);
    expect(applied(['ana', 'bea'], diff), name).toEqual(expected);
  }
});
