/** Shapes of API answers and helpers shared by the route files. */
import { ApiError, type WireInvite, type WireMember } from '../../core/access/index.ts';
import type { KeyedRateLimiter } from '../ratelimit.ts';
import type { InviteRecord, MemberRecord, NewAuditEvent } from '../storage/types.ts';
import type { Request } from './router.ts';

/** A time in ms since the epoch as an ISO-8601 string, as the API answers times. */
export function iso(ms: number): string;
/** A time that may be unset: null stays null. */
export function iso(ms: number | null): string | null;
/** The one body of both overloads above. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A member as the API answers it (docs/protocol.md "member object"); never its secret. */
export function memberJson(m: MemberRecord): WireMember {
  return {
    memberId: m.id,
    name: m.name,
    role: m.role,
    levels: m.levels,
    color: m.color,
    isOwner: m.isOwner,
    createdAt: iso(m.createdAt),
    revokedAt: iso(m.revokedAt),
  };
}

/**
 * An invite as the API answers it, its status (`revoked`, `used`, `expired` or `pending`) judged at `now`
 * (ms since the epoch).
 */
export function inviteJson(i: InviteRecord, now: number): WireInvite {
  const status =
    i.revokedAt !== null
      ? 'revoked'
      : i.usedAt !== null
        ? 'used'
        : i.expiresAt <= now
          ? 'expired'
          : 'pending';
  return {
    inviteId: i.id,
    role: i.role,
    levels: i.levels,
    status,
    createdAt: iso(i.createdAt),
    expiresAt: iso(i.expiresAt),
    usedAt: iso(i.usedAt),
    usedBy: i.usedBy,
    revokedAt: iso(i.revokedAt),
  };
}

/**
 * Appends one event, at the current time, to the plan's audit log without waiting for it; a failure to store
 * it is ignored, so it never fails the request.
 */
export function audit(r: Request, e: Omit<NewAuditEvent, 'at' | 'doc' | 'target'> & Partial<NewAuditEvent>) {
  void r.ctx.storage.meta.appendAudit([{ at: Date.now(), doc: null, target: null, ...e }]).catch(() => {});
}

/**
 * Takes one token from the request's client address bucket. Throws ApiError 'rateLimited' when it is empty,
 * after setting `Retry-After` to the seconds to wait.
 */
export function rateLimit(limiter: KeyedRateLimiter, r: Request): void {
  const wait = limiter.take(r.address);
  if (wait > 0) {
    r.res.setHeader('Retry-After', String(wait));
    throw new ApiError('rateLimited', 'too many requests, retry later');
  }
}

/** Rate limiters of the API, one bucket per client address each. */
export interface Limiters {
  api: KeyedRateLimiter;
  redeem: KeyedRateLimiter;
  register: KeyedRateLimiter;
}
