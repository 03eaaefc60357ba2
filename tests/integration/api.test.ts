// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CLOSE_CODES, ROLE_PRESETS } from '../../core/access/index.ts';
import { newPlanId } from '../../core/model/ids.ts';
import {
  call,
  connect,
  createInvite,
  invitedMember,
  redeem,
  registerPlan,
  removeDir,
  startTestServer,
  token,
  waitFor,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer();
let owner: Member;
beforeAll(async () => {
  owner = await registerPlan(t.url, 'Kari');
});

describe('plans', () => {
  it('makes the registering device the owner with edit on both scopes', async () => {
    const r = await call(t.url, 'GET', `/api/plans/${owner.planId}/me`, { secret: owner.secret });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      planId: owner.planId,
      name: 'Kari',
      role: 'participant',
      isOwner: true,
      levels: { goals: 'edit', plan: 'edit' },
    });
    expect(owner.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to register the same plan twice or a malformed plan id', async () => {
    expect(
      (await call(t.url, 'POST', '/api/plans', { body: { planId: owner.planId, name: 'X' } })).json.error,
    ).toBe('planExists');
    const bad = await call(t.url, 'POST', '/api/plans', { body: { planId: 'short', name: 'X' } });
    expect([bad.status, bad.json.error]).toEqual([400, 'badRequest']);
    const noName = await call(t.url, 'POST', '/api/plans', { body: { planId: newPlanId(), name: '  ' } });
    expect(noName.status).toBe(400);
  });

  it('gives a short-lived connection token with the member access', async () => {
    const before = Date.now();
    const tok = await token(t.url, owner);
    expect(tok.token).not.toContain(owner.secret);
    expect(tok.levels).toEqual({ goals: 'edit', plan: 'edit' });
    const ttl = Date.parse(tok.expiresAt) - before;
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  });

  it('accepts the member secret only in the Authorization header', async () => {
    const r = await call(t.url, 'POST', `/api/plans/${owner.planId}/tokens?secret=${owner.secret}`);
    expect([r.status, r.json.error]).toEqual([401, 'unauthenticated']);
    const other = await registerPlan(t.url);
    const cross = await call(t.url, 'POST', `/api/plans/${owner.planId}/tokens`, { secret: other.secret });
    expect(cross.status).toBe(401);
  });

  it('deletes the plan and all its data, closing live connections', async () => {
    const p = await registerPlan(t.url);
    const rel = await invitedMember(t.url, p, 'relative', 'Ola');
    await createInvite(t.url, p, 'therapist');
    const c = await connect(t, rel, 'plan');
    await c.synced();
    c.doc.getMap('m').set('x', 1);
    await waitFor(
      () => {
        const db = new Database(join(t.dataDir, 'varde.sqlite'), { readonly: true });
        const n = (
          db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE plan_id = ?').get(p.planId) as { n: number }
        ).n;
        db.close();
        return n > 0;
      },
      { what: 'stored update' },
    );

    expect((await call(t.url, 'DELETE', `/api/plans/${p.planId}`, { secret: rel.secret })).status).toBe(403);
    expect((await call(t.url, 'DELETE', `/api/plans/${p.planId}`, { secret: p.secret })).status).toBe(204);
    await waitFor(() => c.closes.length > 0, { timeout: 1000, what: 'close' });
    expect(c.closes[0]!.code).toBe(CLOSE_CODES.notFound);
    c.destroy();
    expect((await call(t.url, 'GET', `/api/plans/${p.planId}/me`, { secret: p.secret })).status).toBe(401);
    const db = new Database(join(t.dataDir, 'varde.sqlite'), { readonly: true });
    for (const table of ['plans', 'members', 'invites', 'doc_updates', 'audit']) {
      const col = table === 'plans' ? 'id' : 'plan_id';
      expect(
        (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${col} = ?`).get(p.planId) as { n: number }).n,
      ).toBe(0);
    }
    db.close();
  });
});

describe('invites', () => {
  it.each(['relative', 'therapist', 'network'] as const)('gives a %s the preset levels', async (role) => {
    const m = await invitedMember(t.url, owner, role, `A ${role}`);
    expect(m.role).toBe(role);
    expect(m.levels).toEqual(ROLE_PRESETS[role]);
    expect(m.planId).toBe(owner.planId);
  });

  it('gives custom levels, and needs them for the role other', async () => {
    const m = await invitedMember(t.url, owner, 'other', 'Coach', { goals: 'view', plan: 'comment' });
    expect(m.levels).toEqual({ goals: 'view', plan: 'comment' });
    const missing = await call(t.url, 'POST', `/api/plans/${owner.planId}/invites`, {
      secret: owner.secret,
      body: { role: 'other' },
    });
    expect(missing.status).toBe(400);
    for (const body of [
      { role: 'participant' },
      { role: 'relative', levels: { goals: 'admin', plan: 'edit' } },
      { role: 'relative', levels: { goals: 'edit' } },
      { role: 'relative', levels: { goals: 'edit', plan: 'edit', extra: 'edit' } },
      { role: 'relative', expiresInSeconds: 10 },
    ]) {
      expect(
        (await call(t.url, 'POST', `/api/plans/${owner.planId}/invites`, { secret: owner.secret, body }))
          .status,
      ).toBe(400);
    }
  });

  it('says whose plan an invite is for, so the joined plan is named after its owner', async () => {
    const kari = await registerPlan(t.url, 'Kari');
    const code = await createInvite(t.url, kari, 'relative');
    const r = await call(t.url, 'POST', '/api/invites/redeem', { body: { code, name: 'Ola' } });
    expect(r.status).toBe(201);
    const me = await call(t.url, 'GET', `/api/plans/${kari.planId}/me`, { secret: kari.secret });
    expect(me.json.name).toBe('Kari');
    expect(r.json.ownerName).toBe(me.json.name);
    expect(r.json.ownerName).not.toBe('Ola');
  });

  it('makes invite codes of 128 random bits that work once', async () => {
    const code = await createInvite(t.url, owner, 'relative');
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await redeem(t.url, code, 'First');
    const again = await call(t.url, 'POST', '/api/invites/redeem', { body: { code, name: 'Second' } });
    expect([again.status, again.json.error]).toEqual([410, 'inviteUsed']);
    const unknown = await call(t.url, 'POST', '/api/invites/redeem', {
      body: { code: 'A'.repeat(22), name: 'X' },
    });
    expect([unknown.status, unknown.json.error]).toEqual([404, 'inviteNotFound']);
  });

  it('refuses an expired or revoked invite', async () => {
    const code = await createInvite(t.url, owner, 'relative');
    const db = new Database(join(t.dataDir, 'varde.sqlite'));
    db.prepare('UPDATE invites SET expires_at = ? WHERE plan_id = ? AND used_at IS NULL').run(
      Date.now() - 1,
      owner.planId,
    );
    db.close();
    const r = await call(t.url, 'POST', '/api/invites/redeem', { body: { code, name: 'Late' } });
    expect([r.status, r.json.error]).toEqual([410, 'inviteExpired']);

    const code2 = await createInvite(t.url, owner, 'therapist');
    const list = await call(t.url, 'GET', `/api/plans/${owner.planId}/invites`, { secret: owner.secret });
    const pending = list.json.invites.filter((i: { status: string }) => i.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(code2);
    expect(
      (
        await call(t.url, 'DELETE', `/api/plans/${owner.planId}/invites/${pending[0].inviteId}`, {
          secret: owner.secret,
        })
      ).status,
    ).toBe(204);
    const r2 = await call(t.url, 'POST', '/api/invites/redeem', { body: { code: code2, name: 'X' } });
    expect(r2.status).toBe(404);
  });

  it('rate-limits invite redemption per client address', async () => {
    const limited = await startTestServer({ redeemPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await call(limited.url, 'POST', '/api/invites/redeem', {
              body: { code: 'B'.repeat(22), name: 'X' },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      const r = await call(limited.url, 'POST', '/api/invites/redeem', {
        body: { code: 'B'.repeat(22), name: 'X' },
      });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
      removeDir(limited.dataDir);
    }
  });
});

describe('members', () => {
  it('lets only the owner list, change and revoke members', async () => {
    const rel = await invitedMember(t.url, owner, 'relative', 'Ola');
    const base = `/api/plans/${owner.planId}/members`;
    expect((await call(t.url, 'GET', base, { secret: rel.secret })).json.error).toBe('forbidden');
    expect(
      (await call(t.url, 'PATCH', `${base}/${owner.memberId}`, { secret: rel.secret, body: { name: 'x' } }))
        .status,
    ).toBe(403);
    expect((await call(t.url, 'GET', base)).status).toBe(401);

    const list = await call(t.url, 'GET', base, { secret: owner.secret });
    expect(list.json.members.find((m: { memberId: string }) => m.memberId === rel.memberId)).toMatchObject({
      name: 'Ola',
      role: 'relative',
      levels: ROLE_PRESETS.relative,
      isOwner: false,
      revokedAt: null,
    });
    const changed = await call(t.url, 'PATCH', `${base}/${rel.memberId}`, {
      secret: owner.secret,
      body: { role: 'network' },
    });
    expect(changed.json).toMatchObject({ role: 'network', levels: ROLE_PRESETS.network });
    const owned = await call(t.url, 'PATCH', `${base}/${owner.memberId}`, {
      secret: owner.secret,
      body: { levels: { goals: 'view', plan: 'view' } },
    });
    expect([owned.status, owned.json.error]).toEqual([409, 'ownerImmutable']);
    expect((await call(t.url, 'DELETE', `${base}/${owner.memberId}`, { secret: owner.secret })).status).toBe(
      409,
    );
    expect((await call(t.url, 'DELETE', `${base}/${rel.memberId}`, { secret: owner.secret })).status).toBe(
      204,
    );
    expect(
      (await call(t.url, 'GET', `/api/plans/${owner.planId}/me`, { secret: rel.secret })).json.error,
    ).toBe('revoked');
  });

  it('lets a member leave a plan', async () => {
    const rel = await invitedMember(t.url, owner, 'therapist', 'Dr. Berg');
    expect(
      (
        await call(t.url, 'DELETE', `/api/plans/${owner.planId}/members/${rel.memberId}`, {
          secret: rel.secret,
        })
      ).status,
    ).toBe(204);
    expect(
      (await call(t.url, 'POST', `/api/plans/${owner.planId}/tokens`, { secret: rel.secret })).status,
    ).toBe(403);
  });
});

describe('the audit log', () => {
  it('tells the owner who connected, read and wrote which doc, and never the content', async () => {
    const p = await registerPlan(t.url);
    const rel = await invitedMember(t.url, p, 'relative', 'Ola');
    const c = await connect(t, rel, 'plan');
    await c.synced();
    c.doc.getText('t').insert(0, 'very private words');
    const o = await connect(t, p, 'plan');
    await waitFor(() => o.doc.getText('t').length > 0, { what: 'sync' });
    c.destroy();
    o.destroy();
    let events: { kind: string; memberId: string; doc: string | null; at: string }[] = [];
    // Write counts are coalesced and written when the connection closes.
    const deadline = Date.now() + 3000;
    while (!events.some((e) => e.kind === 'doc.wrote') && Date.now() < deadline) {
      events = (await call(t.url, 'GET', `/api/plans/${p.planId}/audit`, { secret: p.secret })).json.events;
    }
    const mine = events.filter((e) => e.memberId === rel.memberId).map((e) => `${e.kind} ${e.doc}`);
    expect(mine).toEqual(
      expect.arrayContaining([
        'invite.redeemed null',
        'doc.connected plan',
        'doc.read plan',
        'doc.wrote plan',
      ]),
    );
    expect(events.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect(JSON.stringify(events)).not.toContain('private');
    expect((await call(t.url, 'GET', `/api/plans/${p.planId}/audit`, { secret: rel.secret })).status).toBe(
      403,
    );
  });
});

describe('HTTP hardening', () => {
  it('limits body size and insists on JSON', async () => {
    const big = await call(t.url, 'POST', '/api/plans', {
      body: { planId: newPlanId(), name: 'x'.repeat(70_000) },
    });
    expect([big.status, big.json.error]).toEqual([413, 'bodyTooLarge']);
    const notJson = await fetch(`${t.url}/api/plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hi',
    });
    expect(notJson.status).toBe(415);
    const broken = await fetch(`${t.url}/api/plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"planId":',
    });
    expect(broken.status).toBe(400);
    expect((await call(t.url, 'GET', '/api/nothing')).status).toBe(404);
    expect((await call(t.url, 'PUT', '/api/plans')).status).toBe(405);
  });

  it('answers CORS for the extension origins and refuses others', async () => {
    const pre = await fetch(`${t.url}/api/plans`, {
      method: 'OPTIONS',
      headers: { Origin: 'moz-extension://1234-abcd', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('moz-extension://1234-abcd');
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    const evil = await call(t.url, 'GET', `/api/plans/${owner.planId}/me`, {
      secret: owner.secret,
      headers: { Origin: 'https://evil.example' },
    });
    expect([evil.status, evil.json.error]).toEqual([403, 'originNotAllowed']);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await call(t.url, 'GET', '/healthz')).json).toEqual({ ok: true });
    expect((await call(t.url, 'GET', '/readyz')).json).toEqual({ ready: true });
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE varde_ws_connections gauge');
    expect(text).toMatch(/varde_http_requests_total\{route="POST \/api\/plans",status="201"\} \d+/);
  });
});
