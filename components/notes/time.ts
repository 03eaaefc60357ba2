/**
 * "3 minutes ago" in the reader's language, from an ISO time a comment carries. Intl does the
 * wording, so no locale file needs a plural rule. A time the reader could not parse is `''`
 * (the reader already reported it); a time in the future (a device with a fast clock) reads
 * as "now" rather than "in 5 minutes", which would only confuse.
 */
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** Below this a comment was written "now": seconds would tick past while it is read. */
const NOW_SECONDS = 45;

export function relativeTime(iso: string, now: number, locale: string): string {
  const then = Date.parse(iso);
  if (!iso || Number.isNaN(then)) return '';
  const seconds = Math.max(0, (now - then) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (seconds < NOW_SECONDS) return format.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return format.format(-1, 'minute');
}

/** The exact date and time, for a tooltip and for print. */
export function fullTime(iso: string, locale: string): string {
  const then = Date.parse(iso);
  if (!iso || Number.isNaN(then)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(then);
}
