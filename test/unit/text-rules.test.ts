import { describe, expect, test } from 'vitest';
import { nickKey } from '../../server/chat/nick-key.js';
import {
  hasForbiddenControl,
  hasMarkPile,
  isWellFormed,
  maxCombiningRun,
  nickLooksWrong,
  roomLooksWrong,
  scriptsOf,
} from '../../server/chat/text-rules.js';
import { MAX_COMBINING_MARKS_PER_BASE } from '../../server/protocol/limits.js';

describe('isWellFormed', () => {
  test.each([
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone low surrogate', '\uDE00'],
    ['a pair in the wrong order', '\uDE00\uD83D'],
  ])('false for %s', (_label, s) => expect(isWellFormed(s)).toBe(false));
  test('true for astral characters (a surrogate pair)', () => expect(isWellFormed('🦊 ok')).toBe(true));
});

describe('hasForbiddenControl', () => {
  test.each([['\0'], ['a\u0007b'], ['\r'], ['\u001B[31m'], ['\u007F'], ['\u0085']])('%j is refused', (s) =>
    expect(hasForbiddenControl(s)).toBe(true),
  );
  test('newline and tab are text', () => expect(hasForbiddenControl('a\n\tb')).toBe(false));
});

describe('combining marks per base character', () => {
  test('counts the longest run', () => {
    expect(maxCombiningRun('e\u0301\u0302 a\u0301')).toBe(2);
    expect(maxCombiningRun('plain')).toBe(0);
  });
  test('a zero-width joiner does not restart the count', () => {
    expect(maxCombiningRun('a\u0301\u0301\u200D\u0301\u0301')).toBe(4);
  });
  test(`allows ${MAX_COMBINING_MARKS_PER_BASE}, refuses one more`, () => {
    const pile = (n: number) => `a${'\u0300\u0301\u0302\u0303\u0304\u0305\u0306'.slice(0, n)}`;
    expect(hasMarkPile(pile(MAX_COMBINING_MARKS_PER_BASE))).toBe(false);
    expect(hasMarkPile(pile(MAX_COMBINING_MARKS_PER_BASE + 1))).toBe(true);
  });
  test.each([
    ['pointed, cantillated Hebrew', 'בְּרֵאשִׁ֖ית בָּרָ֣א'],
    ['Devanagari', 'हिन्दी स्त्री'],
    ['Vietnamese, decomposed', 'Tie\u0302\u0301ng Vie\u0323\u0302t'],
    ['a keycap emoji', '1\uFE0F\u20E3'],
  ])('real writing passes: %s', (_label, s) => expect(hasMarkPile(s.normalize('NFC'))).toBe(false));
});

describe('nickLooksWrong', () => {
  test.each([
    ['only braille blanks', '\u2800\u2800'],
    ['a trailing braille blank', 'ana\u2800'],
    ['a hair space inside', 'an\u200Aa'],
    ['a combining overlay', 'admin\u0338'],
    ['only combining marks', '\u0301\u0302'],
  ])('refuses %s', (_label, nick) => expect(nickLooksWrong(nick)).toEqual(expect.any(String)));
  test.each([['Ana Maria'], ['山田\u3000太郎'], ['Zoë'], ['😀'], ['_-_']])('accepts %s', (nick) =>
    expect(nickLooksWrong(nick)).toBeUndefined(),
  );
});

describe('nickKey: the skeleton before case folding', () => {
  test.each([
    ['PayPaI', 'PayPal'],
    ['Ian', 'lan'],
    ['Ian', 'ian'],
    ['admin\u0338', 'admin'],
    ['Наташа', 'наташа'],
    ['straße', 'STRASSE'],
  ])('%s and %s collide', (a, b) => expect(nickKey(a)).toBe(nickKey(b)));
  test.each([
    ['Zoë', 'Zoe'],
    ['ana', 'ann'],
  ])('%s and %s stay different', (a, b) => expect(nickKey(a)).not.toBe(nickKey(b)));
});

describe('roomLooksWrong: confusable room names are refused, not merged', () => {
  test('scriptsOf ignores digits, - and _', () => {
    expect([...scriptsOf('gе-neral_1')]).toEqual(['Latin', 'Cyrillic']);
  });
  test.each([
    ['Cyrillic е in a Latin name', 'g\u0435neral'],
    ['Latin M in a Cyrillic name', 'M\u043E\u0441\u043A\u0432\u0430'],
    ['Greek ο in a Latin name', 'l\u03BFbby'],
    ['an all-Cyrillic name that reads as ASCII', '\u0441\u043E\u0440'],
  ])('refuses %s', (_label, room) => expect(roomLooksWrong(room)).toEqual(expect.any(String)));
  test.each([
    ['general'],
    ['Москва'],
    ['Café'],
    ['हिन्दी'],
    ['日本語のへや'],
    ['한국어-漢字'],
    ['ελληνικά'],
    ['lobby-2'],
  ])('accepts %s', (room) => expect(roomLooksWrong(room)).toBeUndefined());
});
