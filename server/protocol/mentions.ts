/**
 * The rule of a mention, shared by the server (which counts mentions in `room:read`, `unread:summary`) and the
 * browser (which highlights them): `@nick` in any case, where the `@` does not follow a letter, digit or `_` and
 * the nick is not followed by one (so `@ana` mentions ana, `@anastasia` and `mail@ana` do not). The browser's
 * rich text also skips mentions inside links and code; the server's count does not look that closely. Lower case
 * is locale-independent (`toLowerCase`): a server running in a Turkish locale counts what any other does.
 */
const WORD = /[\p{L}\p{M}\p{N}_]/u;

export function mentionsNick(text: string, nick: string): boolean {
  if (!nick) return false;
  const me = nick.toLowerCase();
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    if (i > 0 && WORD.test(text[i - 1]!)) continue;
    const rest = text.slice(i + 1);
    if (rest.slice(0, nick.length).toLowerCase() === me && !WORD.test(rest[nick.length] ?? '')) return true;
  }
  return false;
}
