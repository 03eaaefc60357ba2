import { CommandError, ZONES, type Section, type Zone } from '../../core/model/index.ts';

/**
 * The service plan's small rules, kept free of React so they are tested on their own
 * (tests/unit/plan-logic.test.ts).
 */

/**
 * The `tel:` address of a phone number as a person typed it ("+47 22 33 44 55",
 * "(0)8-123 45"): digits only, with one leading plus kept for international numbers.
 * `null` when there is no digit to call.
 */
export function telHref(phone: string): string | null {
  const kept = phone.replace(/[^\d+]/g, '');
  const digits = kept.replace(/\+/g, '');
  if (digits.length === 0) return null;
  return `tel:${kept.startsWith('+') ? '+' : ''}${digits}`;
}

/** Today on this device's calendar, as `YYYY-MM-DD` (not UTC: a review is due on a local day). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Whether the planned next review has passed. A review planned for today is not yet late:
 * the notice is a gentle reminder, not an alarm, so it comes the day after.
 */
export function isReviewOverdue(nextReviewAt: string | undefined, today: string): boolean {
  return nextReviewAt !== undefined && nextReviewAt < today;
}

/** A `YYYY-MM-DD` date in the reader's language, e.g. "3 March 2025" / "3. mars 2025". */
export function formatDate(date: string, locale: string): string {
  const parsed = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(parsed);
}

/** Sections per zone, in zone order; the reader already sorts by `order` within a zone. */
export function sectionsByZone(sections: readonly Section[]): { zone: Zone; sections: Section[] }[] {
  return ZONES.map((zone) => ({ zone, sections: sections.filter((s) => s.zone === zone) }));
}

/**
 * The `toIndex` for moving the item at `index` one place up or down among `count` siblings,
 * in the commands' terms (the index among the siblings without the moved item), or `null`
 * at either end.
 */
export function moveTarget(index: number, count: number, direction: 'up' | 'down'): number | null {
  const to = direction === 'up' ? index - 1 : index + 1;
  return to < 0 || to >= count ? null : to;
}

/** Locale key of the sentence that explains why a command refused, in plain words. */
export function errorMessageKey(error: unknown): string {
  if (error instanceof CommandError) {
    if (error.reason === 'notFound') return 'plan.error.notFound';
    if (error.reason === 'invalidInput') return 'plan.error.invalidInput';
  }
  return 'plan.error.failed';
}

/** The section's name: its own title for a custom section, the locale's for a standard one. */
export function sectionTitle(section: Section, t: (key: string) => string): string {
  if (section.kind === 'custom') return section.title || t('plan.section.custom.title');
  return t(`plan.section.${section.kind}.title`);
}

/** The one-line prompt shown under the section's title. */
export function sectionPrompt(section: Section, t: (key: string) => string): string {
  return t(`plan.section.${section.kind}.prompt`);
}

/**
 * The phone numbers `updateContact`/`addContact` accept (core/model/plan.ts): digits, spaces
 * and + ( ) . / -. Checked here before calling the command as well, because a refused
 * `addContact` currently still leaves a half-made contact behind (reported to core).
 */
export function isPhoneNumber(phone: string): boolean {
  return /^[+0-9 ()./-]{0,40}$/.test(phone.replace(/[\r\n]+/g, ' ').trim());
}
