import { toBase64Url } from './base64.ts';

/** 96 random bits: collisions between devices are not a practical concern (DESIGN.md). */
const ITEM_ID_BYTES = 12;
/** 128 random bits, made on the device, so a plan exists before any server knows it. */
const PLAN_ID_BYTES = 16;

function randomId(bytes: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A new id for a goal, step, section, contact, thread, comment, … */
export function newId(): string {
  return randomId(ITEM_ID_BYTES);
}

/** A new random plan id (22 base64url characters), made on the device when a plan is created or copied. */
export function newPlanId(): string {
  return randomId(PLAN_ID_BYTES);
}

const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const PLAN_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Ids written by other clients are checked before use: 16–64 base64url characters. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** A plan id is exactly 128 bits in base64url (22 characters). */
export function isPlanId(value: unknown): value is string {
  return typeof value === 'string' && PLAN_ID_PATTERN.test(value);
}
