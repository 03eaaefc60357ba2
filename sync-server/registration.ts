/**
 * Registration codes: what an operator hands out (on paper, by phone) so that a person can
 * register a plan on a server that is not open to everyone (`--registration code`).
 *
 * A code is 20 Crockford base32 characters (100 random bits) shown in groups of five. It is
 * read back forgivingly: case, spaces and dashes do not matter, and O, I and L read as 0, 1
 * and 1. Only its SHA-256 hash is stored.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret } from './auth.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 20;

/** A new code, as shown to the operator: `XXXXX-XXXXX-XXXXX-XXXXX`. */
export function newRegistrationCode(): string {
  const bytes = randomBytes(CODE_CHARS);
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]!).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/** The canonical form of a typed code, or null when it cannot be one. */
export function normalizeRegistrationCode(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const chars = value.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (chars.length !== CODE_CHARS) return null;
  for (const c of chars) if (!ALPHABET.includes(c)) return null;
  return chars;
}

/** The stored hash of a code in canonical form. */
export function hashRegistrationCode(canonical: string): Buffer {
  return hashSecret(`registration:${canonical}`);
}
