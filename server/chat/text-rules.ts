import unhomoglyph from 'unhomoglyph';
import { MAX_COMBINING_MARKS_PER_BASE } from '../protocol/limits.js';

/**
 * Pure checks that make a string look like what it is (issue 13). Used by the parsers of every wire field;
 * each returns a verdict and leaves the error code to the caller, which knows the field.
 */

/** A lone (unpaired) surrogate: in `u` mode a pair is one code point, so only unpaired halves match. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Controls a message may not carry: `\p{Cc}` (C0, DEL, C1) but tab and line feed, and the bidi embeddings and
 * overrides U+202A–U+202E, with which `\u202Ehttps://evil.tk/moc.lapyap.www//:sptth` reads as a paypal.com link.
 * The isolates U+2066–U+2069, which real right-to-left text uses and which cannot leak past their paragraph's
 * end, stay allowed (UAX #9; CVE-2021-42574, "Trojan Source").
 */
const FORBIDDEN_TEXT_CONTROL = /[^\P{Cc}\t\n]|[\u202A-\u202E]/u;
/**
 * Combining marks whose canonical combining class is 1 (Overlay): they strike through the letter they follow,
 * so `admin\u0338` renders as a barely changed `admin`. From UnicodeData.txt (ccc=1).
 */
const OVERLAY_MARK = /[\u0334-\u0338\u1CD4\u1CE2-\u1CE8\u20D2\u20D3\u20D8-\u20DA\u20E5\u20E6\u20EA\u20EB]/u;
const OVERLAY_MARKS = new RegExp(OVERLAY_MARK.source, 'gu');
/** Code points with a visible-looking glyph that is in fact blank (braille blank, Hangul fillers). */
const BLANK_GLYPHS = /[\u2800\u3164\uFFA0\u115F\u1160]/u;
/** Spaces a nick may contain: the ordinary one, and the ideographic space CJK names use. Hair, thin, … are refused. */
const ODD_SPACE = /[^\P{Zs} \u3000]/u;
/** What a visible nick needs at least one of. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** False when `s` holds a lone surrogate (not well-formed UTF-16; it cannot be encoded as UTF-8). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** True when message text holds NUL or another control other than `\n` and `\t`, or a bidi embedding/override. */
export function hasForbiddenControl(text: string): boolean {
  return FORBIDDEN_TEXT_CONTROL.test(text);
}

/**
 * The longest run of combining marks (`\p{M}`) on one base character. Format characters (ZWJ, ZWNJ) do not
 * start a new base, so they cannot be used to restart the count. Count after NFC, which folds e.g. `e\u0301`.
 *
 * @example maxCombiningRun('e\u0301\u0302') === 2
 */
export function maxCombiningRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    if (/\p{M}/u.test(ch)) longest = Math.max(longest, ++run);
    else if (!/\p{Cf}/u.test(ch)) run = 0;
  }
  return longest;
}

/** True when a text piles more than MAX_COMBINING_MARKS_PER_BASE marks on one character ("Zalgo" text). */
export function hasMarkPile(text: string): boolean {
  return maxCombiningRun(text) > MAX_COMBINING_MARKS_PER_BASE;
}

/**
 * Why a nick would not look like what it is, or undefined when it is fine: blank glyphs anywhere (a trailing
 * braille blank makes `ana⠀` pass for `ana`), spaces other than U+0020/U+3000, overlay marks, or nothing visible.
 */
export function nickLooksWrong(nick: string): string | undefined {
  if (BLANK_GLYPHS.test(nick)) return 'nick must not contain blank characters';
  if (ODD_SPACE.test(nick)) return 'nick may only contain ordinary spaces';
  if (OVERLAY_MARK.test(nick)) return 'nick must not contain overlay marks';
  if (!VISIBLE.test(nick)) return 'nick must contain a visible character';
  return undefined;
}

/** `s` without overlay marks, for comparison keys. */
export function stripOverlays(s: string): string {
  return s.replace(OVERLAY_MARKS, '');
}

/** Unicode TR39 skeleton: NFD, map each confusable to its prototype (unhomoglyph's table), NFD again. */
export function skeleton(s: string): string {
  return unhomoglyph(s.normalize('NFD')).normalize('NFD');
}

/**
 * Scripts told apart for the mixed-script rule. A letter of a script not listed counts as "other"; Common
 * (digits 0-9, `-`, `_`) and Inherited (combining marks) belong to every script.
 */
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari',
  'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao',
  'Tibetan', 'Myanmar', 'Khmer', 'Mongolian', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Han', 'Hiragana',
  'Katakana', 'Hangul', 'Bopomofo',
] as const; // prettier-ignore
const SCRIPT_TESTS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
/** Script sets that writing systems mix by design (TR39 "Highly Restrictive"): Japanese, Chinese, Korean. */
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/** The scripts of the letters and digits of `s` (Common and Inherited left out). */
export function scriptsOf(s: string): Set<string> {
  const scripts = new Set<string>();
  for (const ch of s) {
    if (/[\p{Script=Common}\p{Script=Inherited}]/u.test(ch)) continue;
    scripts.add(SCRIPT_TESTS.find(([, test]) => test.test(ch))?.[0] ?? 'other');
  }
  return scripts;
}

/**
 * Why a room name could pass for another, or undefined. Refused, not merged (the name is what clients show):
 * - letters of two scripts outside the CJK mixes, as in `gеneral` with a Cyrillic е (mixed-script confusable);
 * - a non-ASCII name whose skeleton is plain ASCII, as an all-Cyrillic `сор` that reads as `cop`
 *   (whole-script confusable; browsers show such domain names as punycode for the same reason).
 * ASCII names are never refused by this rule, so the confusable one of each pair is always the refused one.
 */
export function roomLooksWrong(room: string): string | undefined {
  const scripts = [...scriptsOf(room)];
  if (scripts.length > 1 && !ALLOWED_MIXES.some((mix) => scripts.every((s) => mix.includes(s)))) {
    return 'room name mixes scripts';
  }
  if (/\P{ASCII}/u.test(room) && /^[A-Za-z0-9_-]+$/.test(skeleton(room))) {
    return 'room name looks like a different, ASCII name';
  }
  return undefined;
}
