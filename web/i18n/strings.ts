import { ar } from './ar.js';
import type { Strings } from './shape.js';
import { en } from './en.js';

export type { Strings } from './shape.js';

export { ar, en };

const TABLES: Record<string, Strings> = { en, ar };

/** The table for a BCP 47 tag by its primary language ("ar-EG" → ar); English when there is none. */
export function stringsFor(lang: string | undefined): Strings {
  const primary = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return TABLES[primary] ?? en;
}

/** `lang` of the element or its nearest ancestor, else the document's, else the browser's. */
export function resolveLang(el: Element): string {
  const owner = el.closest('[lang]')?.getAttribute('lang');
  return owner || document.documentElement.lang || navigator.language || 'en';
}
