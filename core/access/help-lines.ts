/**
 * Help lines: the numbers the crisis card offers below the person's own contacts. The app
 * ships a list per country (components/crisis/help-lines.ts); a server's operator (a clinic)
 * may add its own, which the server sends with every connection token and the device keeps
 * for when it is offline (docs/crisis-numbers.md). The same rules read the operator's file on
 * the server and the token answer on the device, so what one accepts the other shows.
 */

/** One number to call. */
export interface HelpLine {
  readonly name: string;
  readonly phone: string;
  /** When to call, in a few plain words. */
  readonly what: string;
  /** Who runs the number and publishes it (the shipped lists; an operator may leave it out). */
  readonly source?: string;
}

/** Countries with a shipped list; `EU` is "elsewhere": the European emergency number. */
export const COUNTRIES = ['NO', 'SE', 'EU'] as const;
export type Country = (typeof COUNTRIES)[number];

/** Bounds of an operator's list: a card to read in a crisis, not a directory. */
export const HELP_LINE_LIMITS = { lines: 8, name: 80, phone: 32, what: 200, source: 200 } as const;

/** A phone number as people write it: digits, spaces, dashes, dots, brackets, a leading +. */
const PHONE = /^\+?[0-9 ().-]+$/;

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : null;
}

/**
 * An operator's list as sent or stored, or null when it is not one: an array of at most 8
 * lines, each with a name, a phone number people can dial and what it is for, within bounds.
 * All or nothing: a list with one bad line is refused whole, so nobody is shown a list the
 * operator did not mean.
 */
export function parseHelpLines(value: unknown): HelpLine[] | null {
  if (!Array.isArray(value) || value.length > HELP_LINE_LIMITS.lines) return null;
  const lines: HelpLine[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
    const o = item as Record<string, unknown>;
    const name = text(o.name, HELP_LINE_LIMITS.name);
    const phone = text(o.phone, HELP_LINE_LIMITS.phone);
    const what = text(o.what, HELP_LINE_LIMITS.what);
    if (!name || !phone || !what || !PHONE.test(phone) || phone.replace(/\D/g, '').length < 3) return null;
    if (o.source !== undefined) {
      const source = text(o.source, HELP_LINE_LIMITS.source);
      if (!source) return null;
      lines.push({ name, phone, what, source });
    } else lines.push({ name, phone, what });
  }
  return lines;
}
