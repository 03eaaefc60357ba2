/**
 * Access levels, scopes and role presets of DESIGN.md "Access". Shared by the sync server
 * (which enforces them) and the extension (which shapes its UI after them).
 */
import { DOC_SCOPE, type DocName } from '../model/schema.ts';

/** The two access scopes: every doc of a plan belongs to one (see `DOC_SCOPE`). */
export const SCOPES = ['goals', 'plan'] as const;
export type Scope = (typeof SCOPES)[number];

/** Access levels in increasing order: each level includes everything below it. */
export const LEVELS = ['none', 'view', 'comment', 'edit'] as const;
export type Level = (typeof LEVELS)[number];

/** A member's access: one level per scope. */
export type Levels = { readonly [S in Scope]: Level };

/**
 * Role presets exactly as DESIGN.md's table. Relatives and therapists share levels; the role
 * is kept as a label so the owner sees who is who, and the owner may change levels freely.
 */
export const ROLE_PRESETS = {
  participant: { goals: 'edit', plan: 'edit' },
  relative: { goals: 'comment', plan: 'edit' },
  therapist: { goals: 'comment', plan: 'edit' },
  network: { goals: 'none', plan: 'view' },
} as const satisfies Record<string, Levels>;
export type Preset = keyof typeof ROLE_PRESETS;
export const PRESETS = Object.keys(ROLE_PRESETS) as readonly Preset[];

/**
 * A member's role label. `participant` is the plan's owner and nobody else; `other` is a
 * member invited with custom levels that fit no preset's description.
 */
export const ROLES = ['participant', 'relative', 'therapist', 'network', 'other'] as const;
export type Role = (typeof ROLES)[number];
/** Roles an invite may carry: the participant (owner) role is never handed out. */
export const INVITE_ROLES = ['relative', 'therapist', 'network', 'other'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

/** True when `value` is one of `LEVELS`. */
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True when `value` is one of `ROLES`; used to check roles read from API responses and stored rows. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `value` is a role an invite may carry (`INVITE_ROLES`): never `participant`. */
export function isInviteRole(value: unknown): value is InviteRole {
  return typeof value === 'string' && (INVITE_ROLES as readonly string[]).includes(value);
}

/** True when `value` names a role preset of `ROLE_PRESETS`. */
export function isPreset(value: unknown): value is Preset {
  return typeof value === 'string' && Object.hasOwn(ROLE_PRESETS, value);
}

/** True when `level` is `min` or above it. */
export function atLeast(level: Level, min: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}

/**
 * Parses a levels object from untrusted input (an API body, a stored row). Returns null unless
 * it is exactly `{ goals: Level, plan: Level }`: unknown keys are refused rather than ignored,
 * so a typo never silently grants the default.
 */
export function parseLevels(value: unknown): Levels | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== SCOPES.length || !SCOPES.every((s) => keys.includes(s))) return null;
  const { goals, plan } = record;
  if (!isLevel(goals) || !isLevel(plan)) return null;
  return { goals, plan };
}

/** Notes docs hold annotations; writing them needs `comment`. Content docs need `edit`. */
export function isNotesDoc(doc: DocName): boolean {
  return doc === 'goals-notes' || doc === 'plan-notes';
}

/** The level a member needs in the doc's scope to read it. */
export function readLevelFor(_doc: DocName): Level {
  return 'view';
}

/** The level a member needs in the doc's scope to write it. */
export function writeLevelFor(doc: DocName): Level {
  return isNotesDoc(doc) ? 'comment' : 'edit';
}

/** May a member with these levels open (sync, see presence of) this doc? */
export function canRead(levels: Levels, doc: DocName): boolean {
  return atLeast(levels[DOC_SCOPE[doc]], readLevelFor(doc));
}

/** May a member with these levels change this doc? */
export function canWrite(levels: Levels, doc: DocName): boolean {
  return atLeast(levels[DOC_SCOPE[doc]], writeLevelFor(doc));
}

/** True when both levels objects grant the same level in every scope. */
export function sameLevels(a: Levels, b: Levels): boolean {
  return a.goals === b.goals && a.plan === b.plan;
}
