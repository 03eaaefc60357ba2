/**
 * Secrets and connection tokens.
 *
 * - Member secrets (256 bits) and invite codes (128 bits) are random and stored only as
 *   SHA-256 hashes. Their entropy makes a slow password hash unnecessary.
 * - Connection tokens are `<planId>.<memberId>.<expiry seconds>.<HMAC-SHA256>` signed with a
 *   key kept in a file of its own beside the database (not in it), so a copy of the database
 *   alone cannot mint tokens. A token only opens a connection: every connect and every
 *   access change also checks the member's current row.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** base64url of `bytes` random bytes. */
export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export const MEMBER_SECRET_BYTES = 32;
export const INVITE_CODE_BYTES = 16;

/** The stored form of a member secret or invite code: its SHA-256. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The secret of an `Authorization: Bearer <secret>` header, or null. */
export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header.trim());
  return m ? m[1]! : null;
}

const KEY_FILE = 'token-key';

/** Signs and verifies connection tokens with the key in `<dataDir>/token-key`. */
export class TokenSigner {
  private constructor(private readonly key: Buffer) {}

  /** Reads `<dataDir>/token-key`, creating it (mode 0600) on first start. */
  static open(dataDir: string): TokenSigner {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, KEY_FILE);
    if (!existsSync(path)) {
      writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(path, 0o600);
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
    if (key.length < 32) throw new Error('token key file is too short');
    return new TokenSigner(key);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  sign(planId: string, memberId: string, expiresAtMs: number): string {
    const payload = `${planId}.${memberId}.${Math.floor(expiresAtMs / 1000)}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /** The member id a valid, unexpired token for this plan names, else null. */
  verify(token: string, planId: string, nowMs = Date.now()): string | null {
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [tPlan, tMember, tExp, tMac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.mac(`${tPlan}.${tMember}.${tExp}`));
    const given = Buffer.from(tMac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (tPlan !== planId || !/^\d{1,12}$/.test(tExp)) return null;
    if (Number(tExp) * 1000 <= nowMs) return null;
    return tMember;
  }
}
