/** Plan routes: register, delete, who am I, connection tokens, audit log. */
import {
  ApiError,
  ROLE_PRESETS,
  type TokenResponse,
  type WireMembership,
  type WireAuditEvent,
} from '../../core/access/index.ts';
import { isPlanId, newId } from '../../core/model/ids.ts';
import { MEMBER_SECRET_BYTES, hashSecret, randomSecret } from '../auth.ts';
import { addressKey } from '../addresses.ts';
import type { Context } from '../context.ts';
import { hashRegistrationCode, normalizeRegistrationCode } from '../registration.ts';
import type { CreatePlanResult, MemberRecord } from '../storage/types.ts';
import { member, owner } from './auth.ts';
import { audit, iso, memberJson, rateLimit, type Limiters } from './common.ts';
import type { Request, Router } from './router.ts';
import { readJson, sendEmpty, sendJson } from './util.ts';
import * as v from './validate.ts';

/** Why a registration was refused, as the API says it; a new error each time. */
function registerRefusal(result: Exclude<CreatePlanResult, 'created'>): ApiError {
  switch (result) {
    case 'exists':
      return new ApiError('planExists', 'this plan is already registered');
    case 'deleted':
      return new ApiError('planDeleted', 'this plan was deleted; its id is not registered again');
    case 'codeInvalid':
      return new ApiError('registrationCodeInvalid', 'the registration code is unknown, used up or expired');
    case 'planLimit':
      return new ApiError('planLimitReached', 'this server holds as many plans as it may');
    case 'addressLimit':
      return new ApiError('planLimitReached', 'this address has registered as many plans as it may');
  }
}

/**
 * The hash of the registration code a new plan must spend, null when the server needs none;
 * throws when registration is closed or the code is missing or cannot be one.
 */
function registrationCode(ctx: Context, given: unknown): Uint8Array | null {
  const mode = ctx.config.registration;
  if (mode === 'closed') throw new ApiError('registrationClosed', 'this server does not take new plans');
  if (mode === 'open') return null;
  if (given === undefined || given === null || given === '') {
    throw new ApiError('registrationCodeRequired', 'a registration code from the server operator is needed');
  }
  const canonical = normalizeRegistrationCode(given);
  if (!canonical) throw registerRefusal('codeInvalid');
  return hashRegistrationCode(canonical);
}

/** Plan routes: register (with the operator's rules), delete, who am I, tokens, audit. */
export function addPlanRoutes(router: Router, ctx: Context, limiters: Limiters): void {
  const body = (r: Request) => readJson(r.req, ctx.config.maxBodyBytes);
  router.add('POST', '/api/plans', async (r) => {
    rateLimit(limiters.register, r);
    const b = await body(r);
    if (!isPlanId(b.planId)) throw new ApiError('badRequest', 'planId must be 22 base64url characters');
    const name = v.displayName(b.name);
    const codeHash = registrationCode(ctx, b.registrationCode);
    if (ctx.quota.full()) throw new ApiError('storageFull', 'this server holds all it may store');
    const now = Date.now();
    const secret = randomSecret(MEMBER_SECRET_BYTES);
    const m: MemberRecord = {
      id: newId(),
      planId: b.planId,
      name,
      role: 'participant',
      levels: ROLE_PRESETS.participant,
      color: v.pickColor([]),
      isOwner: true,
      createdAt: now,
      revokedAt: null,
    };
    const result = await ctx.storage.meta.createPlan(
      { id: b.planId, createdAt: now },
      m,
      hashSecret(secret),
      {
        address: addressKey(r.address),
        codeHash,
        maxPlans: ctx.config.maxPlans,
        maxPlansPerAddress: ctx.config.maxPlansPerAddress,
      },
    );
    if (result !== 'created') {
      ctx.log.info('plan.registerRefused', { reason: result });
      throw registerRefusal(result);
    }
    audit(r, { planId: m.planId, memberId: m.id, kind: 'plan.registered' });
    ctx.log.info('plan.registered', { planId: m.planId, memberId: m.id });
    sendJson(r.res, 201, {
      planId: m.planId,
      memberSecret: secret,
      ...memberJson(m),
    } satisfies WireMembership);
  });

  router.add('DELETE', '/api/plans/:planId', async (r) => {
    const me = await owner(r);
    await ctx.storage.meta.deletePlan(me.planId);
    ctx.rooms.planDeleted(me.planId);
    ctx.log.info('plan.deleted', { planId: me.planId, memberId: me.id });
    sendEmpty(r.res, 204);
  });

  router.add('GET', '/api/plans/:planId/me', async (r) => {
    sendJson(r.res, 200, { planId: r.params.planId, ...memberJson(await member(r)) });
  });

  router.add('POST', '/api/plans/:planId/tokens', async (r) => {
    const me = await member(r);
    const expiresAt = Date.now() + ctx.config.tokenTtlSeconds * 1000;
    const answer: TokenResponse = {
      token: ctx.signer.sign(me.planId, me.id, expiresAt),
      expiresAt: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString(),
      memberId: me.id,
      role: me.role,
      levels: me.levels,
      name: me.name,
      color: me.color,
      isOwner: me.isOwner,
      helpLines: ctx.helpLines,
    };
    sendJson(r.res, 200, answer);
  });

  router.add('GET', '/api/plans/:planId/audit', async (r) => {
    const me = await owner(r);
    const after = Number(r.query.get('after') ?? 0);
    const limit = Number(r.query.get('limit') ?? 200);
    if (!Number.isInteger(after) || after < 0) throw new ApiError('badRequest', 'after must be an event id');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new ApiError('badRequest', 'limit must be 1–1000');
    const events = await ctx.storage.meta.listAudit(me.planId, after, limit);
    sendJson(r.res, 200, {
      events: events.map((e): WireAuditEvent => ({
        id: e.id,
        at: iso(e.at),
        memberId: e.memberId,
        kind: e.kind,
        doc: e.doc,
        target: e.target,
        count: e.count,
      })),
      next: events.length === limit ? events[events.length - 1]!.id : null,
    });
  });
}
