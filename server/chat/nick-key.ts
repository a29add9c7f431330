import unhomoglyph from 'unhomoglyph';

/**
 * The key two nicks collide on: NFKC (which includes NFC, and also folds fullwidth and other compatibility
 * forms), case-folded, then reduced to a confusable skeleton (Unicode TR39, via unhomoglyph as Matrix
 * clients use it), so "Zoë", "ZOE\u0308", "ＺＯＥ\u0308" and "Zоë" with a Cyrillic о are one nick.
 * Lower-casing comes first so that case never matters; the skeleton can map to capitals, hence the second fold.
 *
 * @example nickKey('Zoë') === nickKey('ZOE\u0308') // true
 */
export function nickKey(nick: string): string {
  return unhomoglyph(nick.normalize('NFKC').toLowerCase()).toLowerCase();
}
