import { ZONES, type Section, type Zone } from '../../core/model/index.ts';

/**
 * The service plan's small rules, kept free of React so they are tested on their own
 * (tests/unit/plan-logic.test.ts).
 */

/**
 * Whether the planned next review has passed. A review planned for today is not yet late:
 * the notice is a gentle reminder, not an alarm, so it comes the day after.
 */
export function isReviewOverdue(nextReviewAt: string | undefined, today: string): boolean {
  return nextReviewAt !== undefined && nextReviewAt < today;
}

/** Sections per zone, in zone order; the reader already sorts by `order` within a zone. */
export function sectionsByZone(sections: readonly Section[]): { zone: Zone; sections: Section[] }[] {
  return ZONES.map((zone) => ({ zone, sections: sections.filter((s) => s.zone === zone) }));
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

/** The phone numbers a contact may hold; the form checks before the command refuses. */
