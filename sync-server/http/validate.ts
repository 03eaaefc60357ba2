/** Validation of API request fields; each failure is a 400 `badRequest` naming the field. */
import {
  ApiError,
  MAX_MARKS_PER_CHARACTER,
  MAX_NAME_LENGTH,
  ROLE_PRESETS,
  checkDisplayName,
  isInviteRole,
  isPreset,
  parseLevels,
  type InviteRole,
  type Levels,
  type NameProblem,
} from '../../core/access/index.ts';

/** What the API says of a refused name: it names the field and the rule, never the name. */
const NAME_RULES: Record<NameProblem, string> = {
  empty: 'must not be empty',
  tooLong: `must be at most ${MAX_NAME_LENGTH} characters`,
  control: 'must be one line without control characters',
  bidi: 'must not contain text direction controls (U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C)',
  invisible: 'must be visible: no zero-width, filler or blank characters',
  surrogate: 'must be valid Unicode text (it holds a lone surrogate)',
  unassigned: 'must not contain unassigned, noncharacter or private-use code points',
  marks: `must not stack more than ${MAX_MARKS_PER_CHARACTER} combining marks on one character`,
};

/** A display name, checked and normalised by `checkDisplayName` (core/access/names.ts). */
export function displayName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string') throw new ApiError('badRequest', `${field} must be a string`);
  const check = checkDisplayName(value);
  if (!check.ok) throw new ApiError('badRequest', `${field} ${NAME_RULES[check.reason]}`);
  return check.name;
}

/** A role an invite may carry. Throws ApiError 'badRequest' for anything else, `participant` included. */
export function inviteRole(value: unknown): InviteRole {
  if (!isInviteRole(value)) {
    throw new ApiError('badRequest', 'role must be relative, therapist, network or other');
  }
  return value;
}

/** A levels object, exactly as `parseLevels` accepts it. Throws ApiError 'badRequest' otherwise. */
export function levels(value: unknown): Levels {
  const parsed = parseLevels(value);
  if (!parsed) {
    throw new ApiError('badRequest', 'levels must be { goals, plan } with none|view|comment|edit');
  }
  return parsed;
}

/** Levels given explicitly, or the preset of the role. `other` needs explicit levels. */
export function levelsForRole(role: InviteRole, given: unknown): Levels {
  if (given !== undefined) return levels(given);
  if (isPreset(role)) return ROLE_PRESETS[role];
  throw new ApiError('badRequest', 'role other needs levels');
}

/**
 * An integer count of seconds from `min` to `max` inclusive. Throws ApiError 'badRequest', naming `field`,
 * for anything else.
 */
export function seconds(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ApiError('badRequest', `${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Colours for presence and carets: distinct and readable as text on white. */
export const MEMBER_COLORS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#4f46e5',
  '#b45309',
  '#0d9488',
  '#be123c',
] as const;

/**
 * A member colour for a new member: the first of `MEMBER_COLORS` not in `taken`, or one chosen by how many
 * are taken once every colour is in use.
 */
export function pickColor(taken: readonly string[]): string {
  const free = MEMBER_COLORS.find((c) => !taken.includes(c));
  return free ?? MEMBER_COLORS[taken.length % MEMBER_COLORS.length]!;
}
