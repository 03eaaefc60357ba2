/** Authenticating API calls: `Authorization: Bearer <member secret>`, scoped to the URL's plan. */
import { ApiError } from '../../core/access/index.ts';
import { bearer, hashSecret } from '../auth.ts';
import type { MemberRecord } from '../storage/types.ts';
import type { Request } from './router.ts';

/**
 * The member whose secret the request carries, if they belong to the plan in the URL. A
 * secret of another plan is `unauthenticated` (not `forbidden`), so a member learns nothing
 * about plans they are not in.
 */
export async function member(r: Request): Promise<MemberRecord> {
  const secret = bearer(r.req.headers.authorization);
  if (!secret) throw new ApiError('unauthenticated', 'send Authorization: Bearer <member secret>');
  const m = await r.ctx.storage.meta.memberBySecretHash(hashSecret(secret));
  if (!m || m.planId !== r.params.planId) throw new ApiError('unauthenticated', 'unknown member secret');
  if (m.revokedAt !== null) throw new ApiError('revoked', 'this member was removed from the plan');
  return m;
}

/** The plan's owner, as `member` authenticates them. Throws ApiError 'forbidden' for any other member. */
export async function owner(r: Request): Promise<MemberRecord> {
  const m = await member(r);
  if (!m.isOwner) throw new ApiError('forbidden', 'only the plan owner may do this');
  return m;
}
