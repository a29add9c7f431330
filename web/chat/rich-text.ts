import { tokenize } from 'linkifyjs';

/**
 * Message text as tokens: links, mentions and four light constructs (`*bold*`, `_italic_`, `` `code` ``,
 * ```` ``` ```` blocks). User text never becomes HTML: the templates render these tokens as text nodes.
 * Finding URLs is linkifyjs's job (its scanner knows TLDs, trailing punctuation, brackets); only its tokens
 * are used, never its HTML output.
 */
export type Token =
  | { kind: 'text'; text: string }
  /**
   * `userinfo`: what stood before `@` in an http(s) address (`https://www.paypal.com@evil.example` goes to
   * evil.example); it is left out of `text` and `href` and shown apart, so the visible address is the real one.
   */
  | { kind: 'link'; text: string; href: string; userinfo?: string }
  | { kind: 'mention'; text: string; self: boolean }
  | { kind: 'code'; text: string }
  | { kind: 'block'; text: string }
  | { kind: 'bold' | 'italic'; children: Token[] };

/** Only these become links: never `javascript:`, `data:`, `file:`, `ftp:`. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const FENCE = /```\n?([\s\S]*?)\n?```\n?/g;
const INLINE_CODE = /`([^`\n]+)`/g;
const WORD = /[\p{L}\p{M}\p{N}_]/u;
const SPACE = /\s/u;
/** What a mention of someone else looks like: `@` then letters, digits, `_`, `-`, `.` (not at the end). */
const MENTION = /^[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}_]/u;
/**
 * Bidi controls (ALM, LRM, RLM, embeddings, overrides, isolates): never part of an address, so a link ends
 * before one. `https://evil.tk/\u202Emoc.lapyap` would otherwise show its tail reversed inside the link.
 */
/** Refused by the server since (`MESSAGE_INVALID`); older messages may still hold them, so they are not shown. */
const EMBEDDINGS_AND_OVERRIDES = /[\u202A-\u202E]/gu;
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Splits a message into tokens; `self` is your nick, so that mentions of you are marked. Bidi embeddings and
 * overrides (U+202A–U+202E) are dropped, so `\u202Emoc.lapyap` shows as typed, not as `paypal.com`.
 * @example parseText('*hi* @ana see https://x.org', 'ana') // bold, text, mention (self), text, link
 */
export function parseText(text: string, self = ''): Token[] {
  const out: Token[] = [];
  splitBy(
    text.replace(EMBEDDINGS_AND_OVERRIDES, ''),
    FENCE,
    (body) => out.push({ kind: 'block', text: body }),
    (rest) => {
      splitBy(
        rest,
        INLINE_CODE,
        (code) => out.push({ kind: 'code', text: code }),
        (plain) => {
          out.push(...inline(plain, self));
        },
      );
    },
  );
  return out;
}

const parsed = new WeakMap<{ text: string }, { self: string; tokens: Token[] }>();

/**
 * `parseText` of a message, remembered per message object and nick: the list renders every visible message
 * on each update, and an edit replaces the message object, so nothing stale is served.
 */
export function tokensOf(message: { text: string }, self = ''): Token[] {
  const hit = parsed.get(message);
  if (hit?.self === self) return hit.tokens;
  const tokens = parseText(message.text, self);
  parsed.set(message, { self, tokens });
  return tokens;
}

/** True when the message mentions `nick` (`@nick`, any case, not followed by more of a word). */
export function mentions(message: { text: string }, nick: string): boolean {
  if (!nick) return false;
  return collect(tokensOf(message, nick)).some((t) => t.kind === 'mention' && t.self);
}

function collect(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => ('children' in t ? collect(t.children) : [t]));
}

function splitBy(text: string, re: RegExp, matched: (inner: string) => void, between: (plain: string) => void) {
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) between(text.slice(last, m.index));
    matched(m[1] ?? '');
    last = m.index + m[0].length;
  }
  if (last < text.length) between(text.slice(last));
}

interface Range {
  start: number;
  end: number;
  href: string;
}

/**
 * A link token; an http(s) address with user-info (`user@` or `user:password@` before the host) loses it from
 * its text and href, and keeps it in `userinfo` to be shown apart.
 */
function linkToken(text: string, href: string): Token {
  const url = new URL(href);
  if (!url.username && !url.password) return { kind: 'link', text, href };
  const userinfo = url.password ? `${url.username}:${url.password}` : url.username;
  url.username = '';
  url.password = '';
  const slashes = text.indexOf('//');
  const start = slashes === -1 ? 0 : slashes + 2;
  const at = text.lastIndexOf('@', authorityEnd(text, start));
  const shown = at >= start ? text.slice(0, start) + text.slice(at + 1) : url.href;
  return { kind: 'link', text: shown, href: url.href, userinfo };
}

/** The host an http(s) link goes to (punycode for a non-ASCII one), for its title; undefined for others. */
export function hostOf(href: string): string | undefined {
  const url = new URL(href);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
}

/** Where the authority of an address that starts at `from` ends: its first `/`, `?` or `#`, or the end. */
function authorityEnd(text: string, from: number): number {
  const end = text.slice(from).search(/[/?#]/);
  return end === -1 ? text.length : from + end;
}

/** Links first (so `_` in a URL is not italics), then emphasis whose delimiters lie outside links. */
function inline(text: string, self: string): Token[] {
  const links: Range[] = [];
  let at = 0;
  for (const token of tokenize(text)) {
    const value = token.toString();
    if (token.isLink) {
      const control = value.search(BIDI_CONTROL);
      // A URL may end in `*` or `_`, but in chat that is nearly always the end of `*bold*` or `_italics_`.
      const kept = value.slice(0, control === -1 ? undefined : control).replace(/[*_]+$/, '');
      const cut = value.length - kept.length;
      const href = token.toHref('https').slice(0, cut > 0 ? -cut : undefined);
      if (kept && allowed(href)) links.push({ start: at, end: at + kept.length, href });
    }
    at += value.length;
  }
  return emphasis(text, 0, text.length, links, self);
}

function allowed(href: string): boolean {
  try {
    return LINK_PROTOCOLS.has(new URL(href).protocol);
  } catch {
    return false;
  }
}

const inLink = (links: Range[], i: number) => links.some((l) => i >= l.start && i < l.end);

/** `*x*` and `_x_` on one line, opened before a non-space and closed after one, not inside a word. */
function emphasis(text: string, from: number, to: number, links: Range[], self: string): Token[] {
  const out: Token[] = [];
  let plainFrom = from;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if ((c !== '*' && c !== '_') || inLink(links, i)) continue;
    if (i > 0 && WORD.test(text[i - 1]!)) continue;
    const next = text[i + 1];
    if (next === undefined || i + 1 >= to || SPACE.test(next) || next === c) continue;
    const close = closing(text, i + 1, to, c, links);
    if (close === -1) continue;
    out.push(...plain(text, plainFrom, i, links, self));
    out.push({ kind: c === '*' ? 'bold' : 'italic', children: emphasis(text, i + 1, close, links, self) });
    plainFrom = close + 1;
    i = close;
  }
  out.push(...plain(text, plainFrom, to, links, self));
  return out;
}

function closing(text: string, from: number, to: number, c: string, links: Range[]): number {
  for (let j = from + 1; j < to; j++) {
    if (text[j] === '\n') return -1;
    if (text[j] !== c || inLink(links, j) || SPACE.test(text[j - 1]!)) continue;
    const after = text[j + 1];
    if (j + 1 >= to || after === undefined || !WORD.test(after)) return j;
  }
  return -1;
}

/** Text between emphasis: links as they were found, the rest split at mentions. */
function plain(text: string, from: number, to: number, links: Range[], self: string): Token[] {
  const out: Token[] = [];
  let at = from;
  for (const link of links) {
    if (link.end <= from || link.start >= to) continue;
    out.push(...mentionsIn(text.slice(at, link.start), self));
    out.push(linkToken(text.slice(link.start, link.end), link.href));
    at = link.end;
  }
  out.push(...mentionsIn(text.slice(at, to), self));
  return out;
}

function mentionsIn(text: string, self: string): Token[] {
  const out: Token[] = [];
  const me = self.toLocaleLowerCase();
  let plainFrom = 0;
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    if (i > 0 && WORD.test(text[i - 1]!)) continue;
    const rest = text.slice(i + 1);
    const selfEnd = me && rest.slice(0, self.length).toLocaleLowerCase() === me ? self.length : 0;
    const isSelf = selfEnd > 0 && !WORD.test(rest[selfEnd] ?? '');
    const length = isSelf ? selfEnd : (MENTION.exec(rest)?.[0].length ?? 0);
    if (length === 0) continue;
    if (i > plainFrom) out.push({ kind: 'text', text: text.slice(plainFrom, i) });
    out.push({ kind: 'mention', text: text.slice(i, i + 1 + length), self: isSelf });
    plainFrom = i + 1 + length;
    i = plainFrom - 1;
  }
  if (plainFrom < text.length) out.push({ kind: 'text', text: text.slice(plainFrom) });
  return out;
}
