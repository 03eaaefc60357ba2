/**
 * Encryption at rest (docs/reliability.md, "Encryption at rest"): AES-256-GCM records under a
 * per-plan key, and plan keys wrapped by a key derived from the server's master key.
 *
 * A record is `version (1 byte) ‖ nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)`. The
 * associated data names the plan, the doc (or member) and the kind of record, so a row copied
 * to another plan, doc or column fails to decrypt instead of being read as something else.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
/** 96 bits, the GCM standard size. Random nonces stay safe to 2^32 records per key; one plan
 * writes orders of magnitude fewer (a keystroke is one record, compaction folds them). */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

/** What a sealed record holds; part of its associated data. */
export type RecordKind = 'update' | 'snapshot' | 'member-name' | 'plan-key';

/** Thrown by `open` and `unwrapPlanKey` when a record is malformed or does not authenticate. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError';
}

/** `varde/1 ∅ planId ∅ scope ∅ kind`: scope is a doc name, `member:<id>`, or empty. */
export function associatedData(planId: string, scope: string, kind: RecordKind): Buffer {
  return Buffer.from(`varde/${FORMAT}\0${planId}\0${scope}\0${kind}`, 'utf8');
}

/** Encrypts one record with AES-256-GCM under `key`, bound to `aad` (see the file header). */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([Buffer.of(FORMAT), nonce, body, cipher.getAuthTag()]);
}

/** The plaintext of a sealed record; throws `DecryptError` for a wrong key, AD or a changed byte. */
export function open(key: Uint8Array, record: Uint8Array, aad: Uint8Array): Buffer {
  const r = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  if (r.length < 1 + NONCE_BYTES + TAG_BYTES || r[0] !== FORMAT)
    throw new DecryptError('not a sealed record');
  const nonce = r.subarray(1, 1 + NONCE_BYTES);
  const tag = r.subarray(r.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(r.subarray(1 + NONCE_BYTES, r.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new DecryptError('record does not authenticate');
  }
}

/**
 * Keys derived from the master key, one per purpose (HKDF-SHA256), so the key that wraps plan
 * keys is never also a MAC key or an identifier.
 */
export class MasterKey {
  /** Wraps and unwraps plan keys. */
  readonly wrapping: Buffer;
  /** Authenticates the head of each plan's audit chain. */
  readonly auditHead: Buffer;
  /**
   * Keys the MAC that stands for a client address in the plan-per-address quota, so that the
   * database holds no address, and a copy of it without the master key cannot be searched for one.
   */
  readonly addressMac: Buffer;
  /** A public fingerprint (hex) stored in the database to recognise the right master key. */
  readonly id: string;

  constructor(raw: Uint8Array) {
    if (raw.byteLength !== KEY_BYTES) throw new Error('a master key is 32 bytes');
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), info, KEY_BYTES));
    this.wrapping = derive('varde plan-key wrapping v1');
    this.auditHead = derive('varde audit head v1');
    this.addressMac = derive('varde registration address v1');
    this.id = createHmac('sha256', derive('varde master key id v1')).update('id').digest('hex').slice(0, 32);
  }

  wrapPlanKey(planId: string, planKey: Uint8Array): Buffer {
    return seal(this.wrapping, planKey, associatedData(planId, '', 'plan-key'));
  }

  unwrapPlanKey(planId: string, wrapped: Uint8Array): Buffer {
    const key = open(this.wrapping, wrapped, associatedData(planId, '', 'plan-key'));
    if (key.length !== KEY_BYTES) throw new DecryptError('wrapped plan key has the wrong length');
    return key;
  }
}

/** A fresh random 32-byte AES-256 key for one plan's records; it is stored only wrapped by the master key. */
export function newPlanKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
