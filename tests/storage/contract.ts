/**
 * The storage contract (sync-server/storage/types.ts), as one suite any implementation must
 * pass unchanged: automerge-repo's storage adapter tests are the model. The SQLite store runs
 * it in tests/integration/storage-sqlite.test.ts; a Postgres store will run the same file.
 *
 * ```ts
 * storageContract('sqlite', async () => {
 *   const dir = tempDir();
 *   return { open: () => openSqliteStorage(dir), cleanup: () => removeDir(dir) };
 * });
 * ```
 *
 * `open` may be called again after `close()` on the same backing store: that is how the suite
 * checks that what resolved is durable.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { ROLE_PRESETS } from '../../core/access/index.ts';
import { newId, newPlanId } from '../../core/model/ids.ts';
import type { MemberRecord, RegistrationRules, Storage } from '../../sync-server/storage/types.ts';

export interface ContractTarget {
  /** Opens the store; called again after `close()` reopens the same data. */
  open(): Storage | Promise<Storage>;
  cleanup(): void | Promise<void>;
}

const OPEN: RegistrationRules = { address: '192.0.2.1', codeHash: null, maxPlans: 0, maxPlansPerAddress: 0 };
const hash = (s: string) => createHash('sha256').update(s).digest();
const bytes = (...values: number[]) => new Uint8Array(values);

function member(planId: string, over: Partial<MemberRecord> = {}): MemberRecord {
  return {
    id: newId(),
    planId,
    name: 'Kari Nordmann',
    role: 'participant',
    levels: ROLE_PRESETS.participant,
    color: '#2563eb',
    isOwner: true,
    createdAt: Date.now(),
    revokedAt: null,
    ...over,
  };
}

async function newPlan(s: Storage, rules: RegistrationRules = OPEN) {
  const planId = newPlanId();
  const owner = member(planId);
  const result = await s.meta.createPlan({ id: planId, createdAt: Date.now() }, owner, hash(owner.id), rules);
  return { planId, owner, result };
}

/** An update that sets `key` in map `m` of a fresh doc. */
function setUpdate(key: string, value: number): Uint8Array {
  const d = new Y.Doc();
  d.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(d);
}

function docOf(updates: Uint8Array[]): Y.Doc {
  const d = new Y.Doc();
  for (const u of updates) Y.applyUpdate(d, u);
  return d;
}

export function storageContract(name: string, target: () => Promise<ContractTarget>): void {
  /** Runs `f` on a fresh store, closes it, and cleans up, whatever happens. */
  const withStore = async (f: (s: Storage, t: ContractTarget) => Promise<void>) => {
    const t = await target();
    const s = await t.open();
    try {
      await f(s, t);
    } finally {
      await s.close().catch(() => {});
      await t.cleanup();
    }
  };

  describe(`storage contract: ${name}`, () => {
    describe('docs', () => {
      it('gives back every update of a doc, byte for byte, in the order they were appended', () =>
        withStore(async (s) => {
          const { planId } = await newPlan(s);
          const updates = Array.from({ length: 50 }, (_, i) => setUpdate(`k${i}`, i));
          // Appended without waiting: resolution order is call order, and so is the log.
          const order: number[] = [];
          await Promise.all(
            updates.map((u, i) => s.docs.appendUpdate(planId, 'plan', u).then(() => order.push(i))),
          );
          expect(order).toEqual(updates.map((_, i) => i));
          const loaded = await s.docs.loadUpdates(planId, 'plan');
          expect(loaded.map((u) => Buffer.from(u).toString('hex'))).toEqual(
            updates.map((u) => Buffer.from(u).toString('hex')),
          );
        }));

      it('keeps each doc of each plan apart', () =>
        withStore(async (s) => {
          const a = await newPlan(s);
          const b = await newPlan(s);
          await s.docs.appendUpdate(a.planId, 'plan', bytes(1, 2));
          await s.docs.appendUpdate(a.planId, 'goals', bytes(3));
          await s.docs.appendUpdate(b.planId, 'plan', bytes(4));
          expect(await s.docs.loadUpdates(a.planId, 'plan')).toEqual([bytes(1, 2)]);
          expect(await s.docs.loadUpdates(a.planId, 'goals')).toEqual([bytes(3)]);
          expect(await s.docs.loadUpdates(a.planId, 'plan-notes')).toEqual([]);
          expect(await s.docs.loadUpdates(b.planId, 'plan')).toEqual([bytes(4)]);
        }));

      it('has made an update durable when its promise resolves: a reopened store holds it', () =>
        withStore(async (s, t) => {
          const { planId } = await newPlan(s);
          await s.docs.appendUpdate(planId, 'plan', setUpdate('kept', 1));
          await s.close();
          const again = await t.open();
          try {
            const loaded = await again.docs.loadUpdates(planId, 'plan');
            expect(docOf(loaded).getMap('m').get('kept')).toBe(1);
          } finally {
            await again.close();
          }
        }));

      it('compacts a log into one snapshot equal to it, keeping what was appended meanwhile', () =>
        withStore(async (s, t) => {
          const { planId } = await newPlan(s);
          for (let i = 0; i < 20; i++) await s.docs.appendUpdate(planId, 'plan', setUpdate(`k${i}`, i));
          const during = s.docs.appendUpdate(planId, 'plan', setUpdate('during', 99));
          await s.docs.compact(planId, 'plan', (all) => [Y.mergeUpdates(all)]);
          await during;
          const after = s.docs.appendUpdate(planId, 'plan', setUpdate('after', 100));
          await after;
          await s.close();
          const again = await t.open();
          try {
            const loaded = await again.docs.loadUpdates(planId, 'plan');
            expect(loaded.length).toBeLessThanOrEqual(3);
            const m = docOf(loaded).getMap('m');
            for (let i = 0; i < 20; i++) expect(m.get(`k${i}`)).toBe(i);
            expect([m.get('during'), m.get('after')]).toEqual([99, 100]);
          } finally {
            await again.close();
          }
        }));

      it('merges at its own pace: what is appended meanwhile stays, and a plan deleted meanwhile gets no snapshot', () =>
        withStore(async (s) => {
          const { planId } = await newPlan(s);
          for (let i = 0; i < 5; i++) await s.docs.appendUpdate(planId, 'plan', setUpdate(`k${i}`, i));
          await s.docs.compact(planId, 'plan', async (all) => {
            await s.docs.appendUpdate(planId, 'plan', setUpdate('meanwhile', 7));
            return [Y.mergeUpdates(all)];
          });
          const m = docOf(await s.docs.loadUpdates(planId, 'plan')).getMap('m');
          expect([m.get('k0'), m.get('k4'), m.get('meanwhile')]).toEqual([0, 4, 7]);
          expect(await s.docs.loadUpdates(planId, 'plan')).toHaveLength(2);

          const gone = (await newPlan(s)).planId;
          for (let i = 0; i < 3; i++) await s.docs.appendUpdate(gone, 'plan', setUpdate(`g${i}`, i));
          await s.docs.compact(gone, 'plan', async (all) => {
            await s.meta.deletePlan(gone);
            return [Y.mergeUpdates(all)];
          });
          expect(await s.docs.loadUpdates(gone, 'plan')).toEqual([]);
        }));

      it("gives a snapshot's pieces first and in order, before what was stored while it was made, and folds them again", () =>
        withStore(async (s, t) => {
          const { planId } = await newPlan(s);
          for (let i = 0; i < 4; i++) await s.docs.appendUpdate(planId, 'plan', setUpdate(`k${i}`, i));
          const meanwhile = setUpdate('meanwhile', 7);
          const pieces = [bytes(1, 1), bytes(2, 2), bytes(3, 3)];
          await s.docs.compact(planId, 'plan', async () => {
            await s.docs.appendUpdate(planId, 'plan', meanwhile);
            return pieces;
          });
          expect(await s.docs.loadUpdates(planId, 'plan')).toEqual([...pieces, meanwhile]);
          await s.close();
          const again = await t.open();
          try {
            expect(await again.docs.loadUpdates(planId, 'plan')).toEqual([...pieces, meanwhile]);
            let given: Uint8Array[] = [];
            await again.docs.compact(planId, 'plan', (all) => ((given = all), [bytes(9)]));
            expect(given).toEqual([...pieces, meanwhile]);
            expect(await again.docs.loadUpdates(planId, 'plan')).toEqual([bytes(9)]);
          } finally {
            await again.close();
          }
        }));

      it('leaves the log as it was when the merge throws (compaction is atomic)', () =>
        withStore(async (s) => {
          const { planId } = await newPlan(s);
          const updates = [setUpdate('a', 1), setUpdate('b', 2), setUpdate('c', 3)];
          for (const u of updates) await s.docs.appendUpdate(planId, 'plan', u);
          await expect(
            s.docs.compact(planId, 'plan', () => {
              throw new Error('merge failed');
            }),
          ).rejects.toThrow();
          expect(await s.docs.loadUpdates(planId, 'plan')).toEqual(updates);
        }));
    });

    describe('plans', () => {
      it('registers an id once; a deleted id is never registered again, also after reopening', () =>
        withStore(async (s, t) => {
          const { planId, owner, result } = await newPlan(s);
          expect(result).toBe('created');
          expect(await s.meta.getPlan(planId)).toMatchObject({ id: planId });
          const twice = await s.meta.createPlan(
            { id: planId, createdAt: 1 },
            member(planId),
            hash('x'),
            OPEN,
          );
          expect(twice).toBe('exists');
          await s.meta.deletePlan(planId);
          expect(await s.meta.wasDeleted(planId)).toBe(true);
          expect(await s.meta.getMember(planId, owner.id)).toBeNull();
          await s.close();
          const again = await t.open();
          try {
            expect(
              await again.meta.createPlan({ id: planId, createdAt: 2 }, member(planId), hash('y'), OPEN),
            ).toBe('deleted');
            expect(await again.meta.wasDeleted(newPlanId())).toBe(false);
          } finally {
            await again.close();
          }
        }));

      it('deletes a plan with everything in it, and nothing of another plan', () =>
        withStore(async (s) => {
          const gone = await newPlan(s);
          const kept = await newPlan(s);
          for (const p of [gone, kept]) {
            await s.docs.appendUpdate(p.planId, 'plan', setUpdate('x', 1));
            await s.meta.createInvite(
              {
                id: newId(),
                planId: p.planId,
                role: 'relative',
                levels: ROLE_PRESETS.relative,
                createdBy: p.owner.id,
                createdAt: Date.now(),
                expiresAt: Date.now() + 60_000,
                usedAt: null,
                usedBy: null,
                revokedAt: null,
              },
              hash(`invite-${p.planId}`),
            );
            await s.meta.appendAudit([
              {
                planId: p.planId,
                at: Date.now(),
                memberId: p.owner.id,
                kind: 'plan.registered',
                doc: null,
                target: null,
              },
            ]);
          }
          await s.meta.deletePlan(gone.planId);
          expect(await s.meta.getPlan(gone.planId)).toBeNull();
          expect(await s.docs.loadUpdates(gone.planId, 'plan')).toEqual([]);
          expect(await s.meta.listMembers(gone.planId)).toEqual([]);
          expect(await s.meta.listInvites(gone.planId)).toEqual([]);
          expect(await s.meta.listAudit(gone.planId, 0, 100)).toEqual([]);
          expect(await s.meta.memberBySecretHash(hash(gone.owner.id))).toBeNull();
          expect(await s.docs.loadUpdates(kept.planId, 'plan')).toHaveLength(1);
          expect(await s.meta.listMembers(kept.planId)).toHaveLength(1);
          expect(await s.meta.listInvites(kept.planId)).toHaveLength(1);
          expect(await s.meta.listAudit(kept.planId, 0, 100)).toHaveLength(1);
        }));

      it('never lets two registrations at once both take the last place', () =>
        withStore(async (s) => {
          const rules = { ...OPEN, maxPlans: 3 };
          const results = await Promise.all(Array.from({ length: 10 }, () => newPlan(s, rules)));
          expect(results.filter((r) => r.result === 'created')).toHaveLength(3);
          expect(results.filter((r) => r.result === 'planLimit')).toHaveLength(7);
          const perAddress = { ...OPEN, address: '198.51.100.1', maxPlansPerAddress: 2 };
          const fromOne = await Promise.all(Array.from({ length: 5 }, () => newPlan(s, perAddress)));
          expect(fromOne.filter((r) => r.result === 'created')).toHaveLength(2);
          expect(fromOne.filter((r) => r.result === 'addressLimit')).toHaveLength(3);
        }));

      it('spends a registration code once per plan, never past its uses, never when expired or revoked', () =>
        withStore(async (s) => {
          const now = Date.now();
          const code = (id: string, usesLeft: number, expiresAt = now + 60_000) =>
            s.meta.createRegistrationCode(
              { id, createdAt: now, expiresAt, usesLeft, revokedAt: null },
              hash(id),
            );
          await code('two', 2);
          await code('old', 5, now - 1);
          await code('revoked', 5);
          expect(await s.meta.revokeRegistrationCode('revoked', now)).toBe(true);
          expect(await s.meta.revokeRegistrationCode('revoked', now)).toBe(false);
          const at = (id: string) => ({ ...OPEN, codeHash: hash(id) });
          const results = await Promise.all(Array.from({ length: 6 }, () => newPlan(s, at('two'))));
          expect(results.filter((r) => r.result === 'created')).toHaveLength(2);
          expect(results.filter((r) => r.result === 'codeInvalid')).toHaveLength(4);
          expect((await newPlan(s, at('old'))).result).toBe('codeInvalid');
          expect((await newPlan(s, at('revoked'))).result).toBe('codeInvalid');
          expect((await newPlan(s, at('unknown'))).result).toBe('codeInvalid');
          const listed = await s.meta.listRegistrationCodes();
          expect(listed.find((c) => c.id === 'two')?.usesLeft).toBe(0);
          // A refusal for another reason spends nothing.
          await code('spare', 1);
          const taken = await newPlan(s);
          const again = await s.meta.createPlan(
            { id: taken.planId, createdAt: now },
            member(taken.planId),
            hash('z'),
            at('spare'),
          );
          expect(again).toBe('exists');
          expect((await s.meta.listRegistrationCodes()).find((c) => c.id === 'spare')?.usesLeft).toBe(1);
        }));
    });

    describe('members and invites', () => {
      it('finds a member by id and by secret hash, and changes only what it is told to', () =>
        withStore(async (s) => {
          const { planId, owner } = await newPlan(s);
          expect(await s.meta.getMember(planId, owner.id)).toEqual(owner);
          expect(await s.meta.memberBySecretHash(hash(owner.id))).toEqual(owner);
          const changed = await s.meta.updateMember(planId, owner.id, { name: 'Kari N.' });
          expect(changed).toEqual({ ...owner, name: 'Kari N.' });
          expect(await s.meta.getMember(planId, owner.id)).toEqual({ ...owner, name: 'Kari N.' });
          expect(await s.meta.updateMember(planId, newId(), { name: 'X' })).toBeNull();
          expect(await s.meta.getMember(newPlanId(), owner.id)).toBeNull();
        }));

      it('redeems an invite exactly once, also when many try at the same moment', () =>
        withStore(async (s) => {
          const { planId, owner } = await newPlan(s);
          const now = Date.now();
          const invite = (id: string, expiresAt = now + 60_000) =>
            s.meta.createInvite(
              {
                id,
                planId,
                role: 'relative',
                levels: ROLE_PRESETS.relative,
                createdBy: owner.id,
                createdAt: now,
                expiresAt,
                usedAt: null,
                usedBy: null,
                revokedAt: null,
              },
              hash(id),
            );
          await invite('once');
          const attempts = await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              s.meta.redeemInvite(
                hash('once'),
                now,
                (inv) =>
                  member(planId, { role: inv.role, levels: inv.levels, isOwner: false, name: `N${i}` }),
                hash(`secret-${i}`),
              ),
            ),
          );
          const ok = attempts.filter((a) => a.ok);
          expect(ok).toHaveLength(1);
          expect(attempts.filter((a) => !a.ok && a.reason === 'inviteUsed')).toHaveLength(9);
          expect(await s.meta.listMembers(planId)).toHaveLength(2);
          const [used] = await s.meta.listInvites(planId);
          expect(used).toMatchObject({ usedBy: ok[0]!.ok ? ok[0]!.member.id : null });

          await invite('late', now - 1);
          const late = await s.meta.redeemInvite(hash('late'), now, (inv) => member(planId, inv), hash('l'));
          expect(late).toEqual({ ok: false, reason: 'inviteExpired' });
          await invite('revoked');
          expect(await s.meta.revokeInvite(planId, 'revoked', now)).toBe(true);
          const revoked = await s.meta.redeemInvite(
            hash('revoked'),
            now,
            (inv) => member(planId, inv),
            hash('r'),
          );
          expect(revoked).toEqual({ ok: false, reason: 'inviteNotFound' });
          expect(
            await s.meta.redeemInvite(hash('nope'), now, (inv) => member(planId, inv), hash('n')),
          ).toEqual({
            ok: false,
            reason: 'inviteNotFound',
          });
        }));
    });

    describe('audit', () => {
      it('appends events in order with growing ids, and pages through them', () =>
        withStore(async (s) => {
          const { planId, owner } = await newPlan(s);
          const kinds = ['doc.connected', 'doc.read', 'doc.wrote', 'doc.disconnected'] as const;
          await Promise.all(
            kinds.map((kind, i) =>
              s.meta.appendAudit([
                { planId, at: 1000 + i, memberId: owner.id, kind, doc: 'plan', target: null },
              ]),
            ),
          );
          const all = await s.meta.listAudit(planId, 0, 100);
          expect(all.map((e) => e.kind)).toEqual([...kinds]);
          expect(all.every((e, i) => i === 0 || e.id > all[i - 1]!.id)).toBe(true);
          const page = await s.meta.listAudit(planId, all[1]!.id, 1);
          expect(page.map((e) => e.kind)).toEqual(['doc.wrote']);
          expect(all[2]).toMatchObject({ planId, memberId: owner.id, doc: 'plan', target: null, count: 1 });
        }));
    });
  });
}
