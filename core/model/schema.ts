/**
 * Schema v1 of a Varde plan, exactly as DESIGN.md states it. A client written only from
 * DESIGN.md must be able to read and write what these names describe, so nothing here may
 * be renamed without a schema migration.
 */

export const SCHEMA_VERSION = 1;

/** The four Y.Docs of a plan. Each is one y-websocket room and one IndexedDB database. */
export const DOC_NAMES = ['goals', 'goals-notes', 'plan', 'plan-notes'] as const;
export type DocName = (typeof DOC_NAMES)[number];

/** The access scope that governs each doc (DESIGN.md "Access"). */
export const DOC_SCOPE = {
  goals: 'goals',
  'goals-notes': 'goals',
  plan: 'plan',
  'plan-notes': 'plan',
} as const satisfies Record<DocName, 'goals' | 'plan'>;

/** IndexedDB database name of one doc of a plan: `varde:<planId>/<doc>`. */
export function localDbName(planId: string, doc: DocName): string {
  return `varde:${planId}/${doc}`;
}

export const GOAL_STATUSES = ['active', 'achieved', 'paused', 'revised'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const SUBGOAL_STATUSES = ['todo', 'doing', 'done', 'dropped'] as const;
export type SubGoalStatus = (typeof SUBGOAL_STATUSES)[number];

export const REVIEW_PROGRESS = ['achieved', 'partly', 'not'] as const;
export type ReviewProgress = (typeof REVIEW_PROGRESS)[number];

export const ZONES = ['green', 'yellow', 'red'] as const;
export type Zone = (typeof ZONES)[number];

/** The standard service-plan sections of IMR.md, in the order a new plan shows them. */
export const STANDARD_SECTIONS = [
  { kind: 'wellness', zone: 'green' },
  { kind: 'keepsMeWell', zone: 'green' },
  { kind: 'triggers', zone: 'yellow' },
  { kind: 'warningSigns', zone: 'yellow' },
  { kind: 'whatIDo', zone: 'yellow' },
  { kind: 'whatOthersDo', zone: 'yellow' },
  { kind: 'takeOverSigns', zone: 'red' },
  { kind: 'crisisWishes', zone: 'red' },
  { kind: 'howToMeetMe', zone: 'red' },
  { kind: 'notHelpful', zone: 'red' },
  { kind: 'practical', zone: 'red' },
  { kind: 'doNotInvolve', zone: 'red' },
] as const satisfies readonly { kind: string; zone: Zone }[];

export type StandardSectionKind = (typeof STANDARD_SECTIONS)[number]['kind'];
export type SectionKind = StandardSectionKind | 'custom';
export const SECTION_KINDS: readonly SectionKind[] = [...STANDARD_SECTIONS.map((s) => s.kind), 'custom'];

export const CONTACT_ROLES = ['family', 'friend', 'clinician', 'crisis-line', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const NOTE_TARGET_KINDS = ['goal', 'subgoal', 'step', 'review', 'section', 'contact'] as const;
export type NoteTargetKind = (typeof NOTE_TARGET_KINDS)[number];

/** The 11 IMR modules by stable id (IMR.md); clinics order and name them, so ids, not numbers. */
export const MODULE_IDS = [
  'recovery-strategies',
  'mental-illness-facts',
  'substance-use-facts',
  'stress-vulnerability',
  'coping-with-stress',
  'social-support',
  'medication',
  'persistent-symptoms',
  'healthy-lifestyle',
  'relapse-prevention',
  'health-system',
] as const;
export type ModuleId = (typeof MODULE_IDS)[number];

/** True when `value` is a string among `values`; narrows untrusted input to a schema enum. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** `YYYY-MM-DD` that names a real calendar day. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** An ISO-8601 timestamp as `Date.prototype.toISOString` writes it. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

/**
 * Longest short field a reader accepts. Short fields are single lines typed by a person; a
 * longer one is from a buggy or hostile client, and is cut rather than rendered whole.
 */
export const MAX_SHORT_TEXT = 2000;
