import type { Level, Role } from '../../core/access/index.ts';
import type { Translate } from '../../hooks/i18n.tsx';

/** "Relative", "Therapist", … */
export const roleLabel = (t: Translate, role: Role) => t(`sharing.role.${role}`);

/** "No access", "Can read", "Can comment", "Can edit". */
export const levelLabel = (t: Translate, level: Level) => t(`sharing.level.${level}`);

/** A colour from the server, used only when it is a plain #rrggbb. */
export const safeColor = (color: string | null | undefined): string | undefined =>
  color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : undefined;

/** Does the text look like a whole invite link rather than a bare code? */
export const isLink = (text: string) => /^https?:\/\//i.test(text.trim());
