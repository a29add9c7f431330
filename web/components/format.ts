const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, sameDay: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${sameDay}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = sameDay
      ? { hour: 'numeric', minute: '2-digit' }
      : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
    try {
      f = new Intl.DateTimeFormat(lang, options);
    } catch {
      f = new Intl.DateTimeFormat('en', options);
    }
    formatters.set(key, f);
  }
  return f;
}

/**
 * A server timestamp in the reader's time zone: the time alone today, with the date otherwise.
 * @example localTime(Date.now(), 'en') // "3:04 PM"
 */
export function localTime(ts: number, lang: string, now = new Date()): string {
  const d = new Date(ts);
  return formatter(lang, d.toDateString() === now.toDateString()).format(d);
}

/** The full date and time, for a tooltip. */
export function fullTime(ts: number, lang: string): string {
  try {
    return new Date(ts).toLocaleString(lang, { dateStyle: 'full', timeStyle: 'medium' });
  } catch {
    return new Date(ts).toLocaleString();
  }
}
