/** `a, b and c` in the language's own words (Intl.ListFormat). */
export const list = (lang: string, items: string[]): string =>
  new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
