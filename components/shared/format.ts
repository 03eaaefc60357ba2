/**
 * Dates and phone numbers as every view shows them. No React and no DOM, so unit tests run
 * them in Node (tests/unit/goals-logic, plan-logic and crisis-content tests).
 */

/** BCP 47 tags for dates: British English writes "12 March 2026", day before month. */
const DATE_LOCALES: Record<string, string> = { en: 'en-GB', nb: 'nb-NO', sv: 'sv-SE' };

/** Building an Intl.DateTimeFormat costs ~0.4 ms; a goal board formats hundreds of dates. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A `YYYY-MM-DD` calendar day in the reader's language: "12 March 2026" / "12. mars 2026"
 * (`long`) or "12 Mar 2026" (`medium`). Read in UTC, so no time zone moves the day.
 */
export function formatDate(date: string, locale: string, style: 'long' | 'medium' = 'long'): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  const key = `${locale}:${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(DATE_LOCALES[locale] ?? locale, {
      day: 'numeric',
      month: style === 'long' ? 'long' : 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(parsed);
}

/** Today on the person's own calendar as `YYYY-MM-DD` (not UTC: 00:30 belongs to today). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The `tel:` address of a phone number as a person typed it ("+47 22 33 44 55",
 * "(0)8-123 45"): digits, with a leading plus kept for international numbers. `null` when
 * there is no digit to call.
 */
export function telHref(phone: string): string | null {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return null;
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}
