import { describe, expect, test } from 'vitest';
import { nickKey } from '../../server/chat/nick-key.js';
import { parseHistoryQuery, parseNick, parseRoom, parseSend, parseTyping } from '../../server/chat/parse.js';

describe('nickKey', () => {
  test.each([
    ['Zoë', 'ZOE\u0308'],
    ['Zoë', 'zoë'],
    ['paypal', 'p\u0430yp\u0430l'],
    ['ＡＢＣ', 'abc'],
    ['Наташа', 'наташа'],
    ['m', 'rn'], // a TR39 confusable
  ])('%s and %s collide', (a, b) => expect(nickKey(a)).toBe(nickKey(b)));

  test.each([
    ['ana', 'anna'],
    ['さくら', 'サクラ'],
    ['Ana', 'Ava'],
  ])('%s and %s are different nicks', (a, b) => expect(nickKey(a)).not.toBe(nickKey(b)));
});

test('parseNick trims and normalises to NFC', () => {
  expect(parseNick('  Zoe\u0308 ')).toBe('Zoë');
});

test('parseRoom keeps case and normalises to NFC', () => {
  expect(parseRoom('Cafe\u0301')).toBe('Café');
  expect(parseRoom('Lobby')).toBe('Lobby');
});

test('parseSend trims text, keeps the clientId and drops unknown fields', () => {
  expect(parseSend({ room: 'a', text: ' hi ', clientId: 'c', nick: 'forged' })).toEqual({
    room: 'a',
    text: 'hi',
    clientId: 'c',
  });
});

test('parseHistoryQuery defaults the limit to 50', () => {
  expect(parseHistoryQuery({ room: 'a', before: 9 })).toEqual({ room: 'a', before: 9, limit: 50 });
});

test('parseTyping returns undefined for anything odd', () => {
  expect(parseTyping({ room: 'a' })).toBe('a');
  expect(parseTyping({ room: 'a b' })).toBeUndefined();
  expect(parseTyping(null)).toBeUndefined();
});
