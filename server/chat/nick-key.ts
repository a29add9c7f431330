import { skeleton, stripOverlays } from './text-rules.js';

/**
 * The key two nicks collide on: NFKC (which also folds fullwidth and other compatibility forms), overlay marks
 * removed, then the confusable skeleton (Unicode TR39, via unhomoglyph as Matrix clients use it) and case folding.
 * Upper case, skeleton, lower case, skeleton: lower-casing before the skeleton turned `PayPaI` (capital I) into
 * `paypai` before `I` could map to `l`; starting from upper case joins the classes that case and skeleton would
 * split (`ian` ~ `Ian` ~ `lan`, `наташа` ~ `Наташа`), and the last skeleton maps lower-case look-alikes (`rn` ~ `m`).
 * So "Zoë", "ZOE\u0308", "ＺＯＥ\u0308", "Zоë" (Cyrillic о), "PayPaI" / "PayPal" and "admin\u0338" / "admin"
 * are each one nick.
 *
 * @example nickKey('PayPaI') === nickKey('paypal') // true
 */
export function nickKey(nick: string): string {
  const upper = stripOverlays(nick.normalize('NFKD')).toUpperCase();
  return skeleton(skeleton(upper).toLowerCase()).normalize('NFC');
}
