import { expect, test } from 'vitest';
import { mentions, parseText, type Token } from '../../web/chat/rich-text.js';

const links = (tokens: Token[]): string[] =>
  tokens.flatMap((t) => ('children' in t ? links(t.children) : t.kind === 'link' ? [t.href] : []));

test('http, https and mailto become links; the text around them stays text', () => {
  expect(parseText('see https://example.org/a_b_c, or http://x.io')).toEqual([
    { kind: 'text', text: 'see ' },
    { kind: 'link', text: 'https://example.org/a_b_c', href: 'https://example.org/a_b_c' },
    { kind: 'text', text: ', or ' },
    { kind: 'link', text: 'http://x.io', href: 'http://x.io' },
  ]);
  expect(links(parseText('mail ana@example.org or mailto:bea@example.org'))).toEqual([
    'mailto:ana@example.org',
    'mailto:bea@example.org',
  ]);
  expect(links(parseText('example.com'))).toEqual(['https://example.com']);
});

test('javascript:, data:, file: and ftp: are never links', () => {
  for (const text of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'ftp://example.com/x',
  ]) {
    expect(links(parseText(text)), text).toEqual([]);
    expect(
      parseText(text)
        .map((t) => ('text' in t ? t.text : ''))
        .join(''),
      text,
    ).toBe(text);
  }
  // Here linkifyjs sees the bare domain after the scheme: that part is an https link, the scheme stays text.
  expect(parseText('javascript://example.com/%0aalert(1)')).toEqual([
    { kind: 'text', text: 'javascript://' },
    { kind: 'link', text: 'example.com/%0aalert(1)', href: 'https://example.com/%0aalert(1)' },
  ]);
});

test('bold, italic, inline code and fenced blocks; markup inside code stays as typed', () => {
  expect(parseText('*bold* and _italic_ and `a *b* <i>`')).toEqual([
    { kind: 'bold', children: [{ kind: 'text', text: 'bold' }] },
    { kind: 'text', text: ' and ' },
    { kind: 'italic', children: [{ kind: 'text', text: 'italic' }] },
    { kind: 'text', text: ' and ' },
    { kind: 'code', text: 'a *b* <i>' },
  ]);
  expect(parseText('look:\n```\nconst a = 1;\n*not bold*\n```\ndone')).toEqual([
    { kind: 'text', text: 'look:\n' },
    { kind: 'block', text: 'const a = 1;\n*not bold*' },
    { kind: 'text', text: 'done' },
  ]);
  expect(parseText('*see https://x.org/a_b*')).toEqual([
    {
      kind: 'bold',
      children: [
        { kind: 'text', text: 'see ' },
        { kind: 'link', text: 'https://x.org/a_b', href: 'https://x.org/a_b' },
      ],
    },
  ]);
});

test('delimiters inside words, with spaces inside or never closed are left as typed', () => {
  for (const text of ['snake_case_name', '2*3*4', '* not bold *', '*open', 'a _b c', '**', '`', '```unclosed']) {
    expect(parseText(text), text).toEqual([{ kind: 'text', text }]);
  }
});

test('HTML in a message is text, never markup', () => {
  expect(parseText('<b>hi</b> <img src=x onerror=alert(1)>')).toEqual([
    { kind: 'text', text: '<b>hi</b> <img src=x onerror=alert(1)>' },
  ]);
});

test('mentions: @nick is a mention, yours in any case is marked, e-mail addresses are not mentions', () => {
  expect(parseText('hi @Ana and @bea.', 'ana')).toEqual([
    { kind: 'text', text: 'hi ' },
    { kind: 'mention', text: '@Ana', self: true },
    { kind: 'text', text: ' and ' },
    { kind: 'mention', text: '@bea', self: false },
    { kind: 'text', text: '.' },
  ]);
  expect(mentions({ text: 'ping @ANA!' }, 'ana')).toBe(true);
  expect(mentions({ text: 'ping @Zoë' }, 'zoë')).toBe(true);
  expect(mentions({ text: 'ping @anabel' }, 'ana')).toBe(false);
  expect(mentions({ text: 'write to ana@example.org' }, 'ana')).toBe(false);
  expect(mentions({ text: '`@ana` in code' }, 'ana')).toBe(false);
  expect(mentions({ text: '*@ana* in bold' }, 'ana')).toBe(true);
  expect(mentions({ text: '@ana' }, '')).toBe(false);
});
