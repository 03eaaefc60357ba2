// @vitest-environment node
/**
 * Names that deceive (issue 9, defect 6), against a real server: every route that takes a
 * display name refuses the deceptive ones with a 400 that names the field and not the name,
 * stores exactly the name it answers with, and keeps members' names distinct in a plan.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newPlanId } from '../../core/model/ids.ts';
import { memberNames } from '../../sync-server/http/names.ts';
import type { MemberRecord, MetaStore } from '../../sync-server/storage/types.ts';
import {
  call,
  createInvite,
  invitedMember,
  registerPlan,
  removeDir,
  sleep,
  startTestServer,
  type Member,
} from '../../harness/server.ts';
import { withServer } from './with-server.ts';

const t = withServer();
let owner: Member;
beforeAll(async () => {
  owner = await registerPlan(t.url, 'Kari');
});

/** Each holds "Zed" so a test can see whether an error or log line repeats the name. */
const DECEPTIVE: [string, string][] = [
  ['a right-to-left override', 'Zed\u202Etsipareht'],
  ['a right-to-left isolate', 'Zed\u2067x\u2069'],
  ['a right-to-left mark', 'Zed\u200F'],
  ['an Arabic letter mark', 'Zed\u061C'],
  ['only zero-width spaces', '\u200B\u200B'],
  ['only Hangul fillers', '\u3164\u115F'],
  ['only a braille blank', '\u2800'],
  ['a zero-width space inside', 'Z\u200Bed'],
  ['a C1 next line', 'Zed\u0085'],
  ['a C1 control sequence introducer', 'Zed\u009b31m'],
  ['a C0 escape', 'Zed\u001b[31m'],
  ['a line break', 'Zed\nTherapist'],
  ['a lone surrogate', 'Zed\uD800'],
  ['a private-use character', 'Zed\uE000'],
  ['a noncharacter', 'Zed\uFFFF'],
  ['hidden tag letters', 'Zed\u{E0041}\u{E0042}'],
  ['a piled-up character', 'Zx' + '\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u0308\u030A'],
  ['81 characters', 'Zed' + 'e'.repeat(78)],
  ['nothing but spaces', ' \u3000 '],
];

const members = async (): Promise<{ memberId: string; name: string; revokedAt: string | null }[]> =>
  (await call(t.url, 'GET', `/api/plans/${owner.planId}/members`, { secret: owner.secret })).json.members;

const join = (code: string, name: string) =>
  call(t.url, 'POST', '/api/invites/redeem', { body: { code, name } });

describe('deceptive names', () => {
  it.each(DECEPTIVE)('refuses a name with %s on register, join and rename', async (_what, name) => {
    const register = await call(t.url, 'POST', '/api/plans', { body: { planId: newPlanId(), name } });
    const code = await createInvite(t.url, owner, 'relative');
    const redeem = await join(code, name);
    const target = await invitedMember(t.url, owner, 'network', `Target ${Math.random()}`);
    const rename = await call(t.url, 'PATCH', `/api/plans/${owner.planId}/members/${target.memberId}`, {
      secret: owner.secret,
      body: { name },
    });
    for (const r of [register, redeem, rename]) {
      expect([r.status, r.json.error]).toEqual([400, 'badRequest']);
      expect(r.json.message).toMatch(/^name /);
      expect(r.json.message).not.toContain('Zed');
    }
    // Refusing the name does not use up the invite.
    expect((await join(code, 'Ragnhild')).status).toBe(201);
  });

  it('refuses a name that is not a string', async () => {
    const r = await call(t.url, 'POST', '/api/plans', { body: { planId: newPlanId(), name: ['Kari'] } });
    expect([r.status, r.json.message]).toEqual([400, 'name must be a string']);
  });

  it('never writes a refused name into the log', () => {
    expect(t.logs.join('\n')).not.toContain('Zed');
  });
});

describe('stored names', () => {
  it.each([
    ['NFC', 'Ine\u0301s', 'Inés'],
    ['trimmed with spaces made one', '  Máret \u00a0 Ŋuolja ', 'Máret Ŋuolja'],
    ['Arabic', 'مريم', 'مريم'],
    ['Chinese', '王小明', '王小明'],
    ['an emoji with a joiner', 'Ada 👩‍⚕️', 'Ada 👩‍⚕️'],
  ])('are what the API answered (%s), on every later read', async (_what, sent, stored) => {
    const registered = await call(t.url, 'POST', '/api/plans', { body: { planId: newPlanId(), name: sent } });
    expect(registered.status).toBe(201);
    expect(registered.json.name).toBe(stored);
    const me = { planId: registered.json.planId, secret: registered.json.memberSecret };

    const code = await createInvite(t.url, owner, 'relative');
    const joined = await join(code, sent);
    expect(joined.json.name).toBe(stored);

    for (const m of [me, { planId: owner.planId, secret: joined.json.memberSecret }]) {
      const read = await call(t.url, 'GET', `/api/plans/${m.planId}/me`, { secret: m.secret });
      expect(read.json.name).toBe(stored);
      const tok = await call(t.url, 'POST', `/api/plans/${m.planId}/tokens`, { secret: m.secret });
      expect(tok.json.name).toBe(stored);
    }
    expect((await members()).find((m) => m.memberId === joined.json.memberId)?.name).toBe(stored);
  });

  it('reads back the same names from disk after the server restarts', async () => {
    const dataDir = `${t.dataDir}-restart`;
    const first = await startTestServer({ dataDir });
    try {
      const a = await registerPlan(first.url, 'Ine\u0301s 👩‍⚕️');
      await first.close();
      const second = await startTestServer({ dataDir });
      try {
        const me = await call(second.url, 'GET', `/api/plans/${a.planId}/me`, { secret: a.secret });
        expect(me.json.name).toBe('Inés 👩‍⚕️');
      } finally {
        await second.close();
      }
    } finally {
      removeDir(dataDir);
    }
  });
});

describe('duplicate names', () => {
  it('numbers a name another current member has, ignoring case and how accents are written', async () => {
    const plan = await registerPlan(t.url, 'Kari');
    const redeemIn = async (name: string) =>
      (await join(await createInvite(t.url, plan, 'relative'), name)).json;
    expect((await redeemIn('Anna')).name).toBe('Anna');
    expect((await redeemIn('Anna')).name).toBe('Anna (2)');
    expect((await redeemIn('ANNA')).name).toBe('ANNA (3)');
    expect((await redeemIn('kari')).name).toBe('kari (2)');
    expect((await redeemIn('Ine\u0301s')).name).toBe('Inés');
    const ines = await redeemIn('Inés');
    expect(ines.name).toBe('Inés (2)');

    // The numbered name is the stored one: the member, the owner and a token all see it.
    const me = await call(t.url, 'GET', `/api/plans/${plan.planId}/me`, { secret: ines.memberSecret });
    expect(me.json.name).toBe('Inés (2)');
    const list = (await call(t.url, 'GET', `/api/plans/${plan.planId}/members`, { secret: plan.secret })).json
      .members as { name: string }[];
    expect(list.map((m) => m.name)).toEqual([
      'Kari',
      'Anna',
      'Anna (2)',
      'ANNA (3)',
      'kari (2)',
      'Inés',
      'Inés (2)',
    ]);
  });

  it('numbers a rename to a taken name, and leaves a member their own name', async () => {
    const plan = await registerPlan(t.url, 'Kari');
    const per = await invitedMember(t.url, plan, 'relative', 'Per');
    const ola = await invitedMember(t.url, plan, 'therapist', 'Ola');
    const rename = (m: Member, name: string) =>
      call(t.url, 'PATCH', `/api/plans/${plan.planId}/members/${m.memberId}`, {
        secret: plan.secret,
        body: { name },
      });
    expect((await rename(ola, 'per')).json.name).toBe('per (2)');
    expect((await rename(per, 'Per')).json.name).toBe('Per');
    expect((await rename(plan, 'Ola')).json.name).toBe('Ola');
    expect((await rename(plan, 'Per')).json.name).toBe('Per (3)');
  });

  it('frees the name of a removed member', async () => {
    const plan = await registerPlan(t.url, 'Kari');
    const first = await invitedMember(t.url, plan, 'relative', 'Siri');
    await call(t.url, 'DELETE', `/api/plans/${plan.planId}/members/${first.memberId}`, {
      secret: plan.secret,
    });
    const again = await join(await createInvite(t.url, plan, 'relative'), 'Siri');
    expect(again.json.name).toBe('Siri');
  });

  it('keeps names distinct when several people join with the same name at once', async () => {
    const plan = await registerPlan(t.url, 'Kari');
    const codes = await Promise.all(Array.from({ length: 8 }, () => createInvite(t.url, plan, 'relative')));
    const answers = await Promise.all(codes.map((code) => join(code, 'Nora')));
    const names = answers.map((a) => a.json.name as string);
    expect(new Set(names).size).toBe(8);
    const list = (await call(t.url, 'GET', `/api/plans/${plan.planId}/members`, { secret: plan.secret })).json
      .members as { name: string }[];
    expect(list.map((m) => m.name).sort()).toEqual(
      ['Kari', 'Nora', ...Array.from({ length: 7 }, (_, i) => `Nora (${i + 2})`)].sort(),
    );
  });

  it('keeps names in different plans apart: two plans may each have an Anna', async () => {
    const a = await registerPlan(t.url, 'Anna');
    const b = await registerPlan(t.url, 'Anna');
    const inB = await join(await createInvite(t.url, b, 'relative'), 'Per');
    const inA = await join(await createInvite(t.url, a, 'relative'), 'Per');
    expect([inA.json.name, inB.json.name]).toEqual(['Per', 'Per']);
  });
});

describe('member names over a store that answers late', () => {
  /** The two methods `memberNames` uses, each answering after a random few milliseconds. */
  function slowStore(): { meta: MetaStore; rows: MemberRecord[] } {
    const rows: MemberRecord[] = [];
    const late = () => sleep(Math.random() * 5);
    const meta = {
      async listMembers(planId: string) {
        const copy = rows.filter((m) => m.planId === planId).map((m) => ({ ...m }));
        await late();
        return copy;
      },
      async updateMember(planId: string, memberId: string, change: Partial<MemberRecord>) {
        await late();
        const row = rows.find((m) => m.planId === planId && m.id === memberId);
        if (!row) return null;
        Object.assign(row, change);
        return { ...row };
      },
    } as Partial<MetaStore> as MetaStore;
    return { meta, rows };
  }
  const record = (id: string, name: string): MemberRecord => ({
    id,
    planId: 'p',
    name,
    role: 'relative',
    levels: { goals: 'view', plan: 'view' },
    color: '#2563eb',
    isOwner: false,
    createdAt: 0,
    revokedAt: null,
  });

  it('settles members who joined at the same moment one at a time, so their names differ', async () => {
    const { meta, rows } = slowStore();
    const names = memberNames(meta);
    for (let i = 0; i < 6; i++) rows.push(record(`m${i}`, 'Nora'));
    const settled = await Promise.all(rows.map((m) => names.settle({ ...m })));
    expect(new Set(settled.map((m) => m.name)).size).toBe(6);
    expect(new Set(rows.map((m) => m.name)).size).toBe(6);
  });

  it('renames one at a time, so two renames to one name at once cannot both keep it', async () => {
    const { meta, rows } = slowStore();
    const names = memberNames(meta);
    for (let i = 0; i < 6; i++) rows.push(record(`m${i}`, `Person ${i}`));
    await Promise.all(
      rows.map((m) => names.assign('p', m.id, 'Nora', (name) => meta.updateMember('p', m.id, { name }))),
    );
    expect(new Set(rows.map((m) => m.name)).size).toBe(6);
  });
});
