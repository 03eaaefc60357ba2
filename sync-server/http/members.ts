/** Member and invite routes: list, change, revoke, leave; create, list, revoke, redeem. */
import { ApiError, ROLE_PRESETS, type WireRedeemed } from '../../core/access/index.ts';
import { newId } from '../../core/model/ids.ts';
import { INVITE_CODE_BYTES, MEMBER_SECRET_BYTES, hashSecret, randomSecret } from '../auth.ts';
import type { Context } from '../context.ts';
import type { InviteRecord, MemberRecord } from '../storage/types.ts';
import { member, owner } from './auth.ts';
import { audit, inviteJson, memberJson, rateLimit, type Limiters } from './common.ts';
import { memberNames } from './names.ts';
import type { Request, Router } from './router.ts';
import { readJson, sendEmpty, sendJson } from './util.ts';
import * as v from './validate.ts';

/** Member, invite and redemption routes (docs/protocol.md "HTTP API"). */
export function addMemberRoutes(router: Router, ctx: Context, limiters: Limiters): void {
  const body = (r: Request) => readJson(r.req, ctx.config.maxBodyBytes);
  const names = memberNames(ctx.storage.meta);

  router.add('GET', '/api/plans/:planId/members', async (r) => {
    const me = await owner(r);
    const members = await ctx.storage.meta.listMembers(me.planId);
    sendJson(r.res, 200, { members: members.map(memberJson) });
  });

  router.add('PATCH', '/api/plans/:planId/members/:memberId', async (r) => {
    const me = await owner(r);
    const b = await body(r);
    const target = await ctx.storage.meta.getMember(me.planId, r.params.memberId!);
    if (!target || target.revokedAt !== null) throw new ApiError('notFound', 'no such member');
    const change: Partial<Pick<MemberRecord, 'name' | 'role' | 'levels'>> = {};
    if (b.name !== undefined) change.name = v.displayName(b.name);
    if (b.role !== undefined) change.role = v.inviteRole(b.role);
    if (b.levels !== undefined) change.levels = v.levels(b.levels);
    else if (change.role !== undefined && change.role !== 'other') change.levels = ROLE_PRESETS[change.role];
    if (Object.keys(change).length === 0) throw new ApiError('badRequest', 'nothing to change');
    if (target.isOwner && (change.role !== undefined || change.levels !== undefined)) {
      throw new ApiError('ownerImmutable', "the owner's access cannot change");
    }
    const store = (name?: string) =>
      ctx.storage.meta.updateMember(me.planId, target.id, name === undefined ? change : { ...change, name });
    const updated =
      change.name === undefined
        ? await store()
        : await names.assign(me.planId, target.id, change.name, store);
    if (!updated) throw new ApiError('notFound', 'no such member');
    ctx.rooms.memberChanged(updated);
    audit(r, { planId: me.planId, memberId: me.id, kind: 'member.changed', target: target.id });
    ctx.log.info('member.changed', { planId: me.planId, memberId: me.id, targetId: target.id });
    sendJson(r.res, 200, memberJson(updated));
  });

  router.add('DELETE', '/api/plans/:planId/members/:memberId', async (r) => {
    // The owner removes anyone but themself; any other member may remove (leave) themself.
    const me = await member(r);
    const target = await ctx.storage.meta.getMember(me.planId, r.params.memberId!);
    if (!target) throw new ApiError('notFound', 'no such member');
    if (!me.isOwner && target.id !== me.id)
      throw new ApiError('forbidden', 'only the plan owner may do this');
    if (target.isOwner) throw new ApiError('ownerImmutable', 'the owner cannot be removed; delete the plan');
    if (target.revokedAt === null) {
      const updated = await ctx.storage.meta.updateMember(me.planId, target.id, { revokedAt: Date.now() });
      if (updated) ctx.rooms.memberChanged(updated);
      audit(r, { planId: me.planId, memberId: me.id, kind: 'member.revoked', target: target.id });
      ctx.log.info('member.revoked', { planId: me.planId, memberId: me.id, targetId: target.id });
    }
    sendEmpty(r.res, 204);
  });

  router.add('POST', '/api/plans/:planId/invites', async (r) => {
    const me = await owner(r);
    const b = await body(r);
    const role = v.inviteRole(b.role);
    const levels = v.levelsForRole(role, b.levels);
    const ttl =
      b.expiresInSeconds === undefined
        ? ctx.config.inviteTtlSeconds
        : v.seconds(b.expiresInSeconds, 'expiresInSeconds', 60, ctx.config.maxInviteTtlSeconds);
    const now = Date.now();
    const code = randomSecret(INVITE_CODE_BYTES);
    const invite: InviteRecord = {
      id: newId(),
      planId: me.planId,
      role,
      levels,
      createdBy: me.id,
      createdAt: now,
      expiresAt: now + ttl * 1000,
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    };
    await ctx.storage.meta.createInvite(invite, hashSecret(code));
    audit(r, { planId: me.planId, memberId: me.id, kind: 'invite.created', target: invite.id });
    sendJson(r.res, 201, { code, ...inviteJson(invite, now) });
  });

  router.add('GET', '/api/plans/:planId/invites', async (r) => {
    const me = await owner(r);
    const now = Date.now();
    const invites = await ctx.storage.meta.listInvites(me.planId);
    sendJson(r.res, 200, { invites: invites.map((i) => inviteJson(i, now)) });
  });

  router.add('DELETE', '/api/plans/:planId/invites/:inviteId', async (r) => {
    const me = await owner(r);
    if (await ctx.storage.meta.revokeInvite(me.planId, r.params.inviteId!, Date.now())) {
      audit(r, { planId: me.planId, memberId: me.id, kind: 'invite.revoked', target: r.params.inviteId! });
    }
    sendEmpty(r.res, 204);
  });

  router.add('POST', '/api/invites/redeem', async (r) => {
    rateLimit(limiters.redeem, r);
    const b = await body(r);
    if (typeof b.code !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(b.code)) {
      throw new ApiError('badRequest', 'code must be an invite code');
    }
    const name = v.displayName(b.name);
    const secret = randomSecret(MEMBER_SECRET_BYTES);
    const now = Date.now();
    const result = await ctx.storage.meta.redeemInvite(
      hashSecret(b.code),
      now,
      (invite, taken) => ({
        id: newId(),
        planId: invite.planId,
        name,
        role: invite.role,
        levels: invite.levels,
        color: v.pickColor(taken),
        isOwner: false,
        createdAt: now,
        revokedAt: null,
      }),
      hashSecret(secret),
    );
    if (!result.ok) throw new ApiError(result.reason, 'this invite cannot be used');
    const m = await names.settle(result.member);
    audit(r, { planId: m.planId, memberId: m.id, kind: 'invite.redeemed' });
    ctx.log.info('invite.redeemed', { planId: m.planId, memberId: m.id });
    const owner = (await ctx.storage.meta.listMembers(m.planId)).find(
      (x) => x.isOwner && x.revokedAt === null,
    );
    sendJson(r.res, 201, {
      planId: m.planId,
      memberSecret: secret,
      ...memberJson(m),
      ...(owner ? { ownerName: owner.name } : {}),
    } satisfies WireRedeemed);
  });
}
