/** Validation of API request fields; each failure is a 400 `badRequest` naming the field. */
import {
  ApiError,
  ROLE_PRESETS,
  isInviteRole,
  isPreset,
  parseLevels,
  type InviteRole,
  type Levels,
} from '../../core/access/index.ts';

/** Display names are shown to other members: 1–80 characters, no control characters. */
export const MAX_NAME_CHARS = 80;

export function displayName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string') throw new ApiError('badRequest', `${field} must be a string`);
  const name = value.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ApiError('badRequest', `${field} must be 1–${MAX_NAME_CHARS} printable characters`);
  }
  return name;
}

export function inviteRole(value: unknown): InviteRole {
  if (!isInviteRole(value)) {
    throw new ApiError('badRequest', 'role must be relative, therapist, network or other');
  }
  return value;
}

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

export function pickColor(taken: readonly string[]): string {
  const free = MEMBER_COLORS.find((c) => !taken.includes(c));
  return free ?? MEMBER_COLORS[taken.length % MEMBER_COLORS.length]!;
}
