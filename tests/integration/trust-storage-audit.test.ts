// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { chainHash } from '../../sync-server/storage/audit-chain.ts';
import { verifyDataDir } from '../../sync-server/storage/audit-verify.ts';
import {
  ROOT,
  call,
  connect,
  invitedMember,
  registerPlan,
  removeDir,
  startTestServer,
  tempDir,
  waitFor,
  type Member,
} from '../../harness/server.ts';

/** A data directory with a real session's audit log in it: three plans, members, edits. */
let pristine: string;
let owner: Member;
const dirs: string[] = [];

beforeAll(async () => {
  const t = await startTestServer({ auditFlushMs: 50 });
  pristine = t.dataDir;
  owner = await registerPlan(t.url);
  const others = await Promise.all([registerPlan(t.url, 'B'), registerPlan(t.url, 'C')]);
  const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
  await call(t.url, 'PATCH', `/api/plans/${owner.planId}/members/${relative.memberId}`, {
    secret: owner.secret,
    body: { levels: { goals: 'view', plan: 'edit' } },
  });
  // Connections to several plans at once: their events share group commits.
  const clients = await Promise.all([
    connect(t, owner, 'plan'),
    connect(t, relative, 'plan'),
    connect(t, relative, 'goals'),
    ...others.map((o) => connect(t, o, 'plan-notes')),
  ]);
  await Promise.all(clients.map((c) => c.synced()));
  clients[1]!.doc.getMap('m').set('a', 1);
  clients[2]!.doc.getMap('m').set('denied', 1);
  for (const c of clients.slice(3)) c.doc.getMap('m').set('x', 1);
  await waitFor(() => clients[0]!.doc.getMap('m').get('a') === 1);
  await waitFor(() => clients[2]!.denied.length > 0);
  for (const c of clients) c.destroy();
  await waitFor(() => rows(pristine).filter((r) => r.kind === 'doc.disconnected').length === clients.length, {
    what: 'disconnect events',
  });
  await t.close();
});

afterAll(() => {
  for (const d of [pristine, ...dirs]) removeDir(d);
});

interface AuditRow {
  id: number;
  plan_id: string;
  seq: number;
  kind: string;
  member_id: string;
}

function rows(dataDir: string): AuditRow[] {
  const db = new Database(join(dataDir, 'varde.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, plan_id, seq, kind, member_id FROM audit ORDER BY id').all() as AuditRow[];
  } finally {
    db.close();
  }
}

/** A copy of the data directory tampered with by `sql`, with the append-only triggers dropped first. */
function tampered(sql: (db: Database.Database, ownerRows: AuditRow[]) => void): string {
  const dir = tempDir();
  dirs.push(dir);
  cpSync(pristine, dir, { recursive: true });
  const db = new Database(join(dir, 'varde.sqlite'));
  db.exec('DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;');
  sql(
    db,
    rows(dir).filter((r) => r.plan_id === owner.planId),
  );
  db.close();
  return dir;
}

function cli(dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'sync-server/verify-audit.ts', '--data-dir', dataDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the audit log', () => {
  it('records who accessed which doc how, with no content, and an untouched log verifies', () => {
    const all = rows(pristine);
    const kinds = new Set(all.map((r) => r.kind));
    for (const k of [
      'plan.registered',
      'invite.created',
      'invite.redeemed',
      'member.changed',
      'doc.connected',
      'doc.read',
      'doc.wrote',
      'doc.writeDenied',
      'doc.disconnected',
    ])
      expect(kinds).toContain(k);
    // Each plan's chain numbers its rows 1, 2, 3, … in id order.
    for (const planId of new Set(all.map((r) => r.plan_id))) {
      expect(all.filter((r) => r.plan_id === planId).map((r) => r.seq)).toEqual(
        all.filter((r) => r.plan_id === planId).map((_r, i) => i + 1),
      );
    }
    const report = verifyDataDir(pristine);
    expect(report).toMatchObject({ plans: 3, rows: all.length, breaks: [], headsChecked: true });
    const out = cli(pristine);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`${all.length} rows in 3 plans`);
    expect(out.stdout).toContain('OK: every chain is intact and every head authenticates');
  });

  it('refuses changes and deletions through SQL while the plan exists', () => {
    const dir = tempDir();
    dirs.push(dir);
    cpSync(pristine, dir, { recursive: true });
    const db = new Database(join(dir, 'varde.sqlite'));
    expect(() => db.prepare("UPDATE audit SET kind = 'doc.read' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE id = 1').run()).toThrow(/append-only/);
    // Deleting the plan still deletes its log.
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM plans WHERE id = ?').run(owner.planId);
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit WHERE plan_id = ?').get(owner.planId)).toEqual({
      n: 0,
    });
    db.close();
    expect(verifyDataDir(dir).breaks).toEqual([]);
  });

  it('names the changed row when a row is edited', () => {
    let target = 0;
    const dir = tampered((db, own) => {
      target = own[3]!.id;
      db.prepare("UPDATE audit SET member_id = 'someone-else-entirely' WHERE id = ?").run(target);
    });
    const report = verifyDataDir(dir);
    expect(report.breaks).toEqual([
      {
        planId: owner.planId,
        rowId: target,
        problem: `row ${target} was changed: its hash does not match its fields`,
      },
    ]);
    const out = cli(dir);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain(`BROKEN: first broken link at row ${target}`);
  });

  it('names the row after the gap when a row is deleted', () => {
    let next = 0;
    const dir = tampered((db, own) => {
      next = own[3]!.id;
      db.prepare('DELETE FROM audit WHERE id = ?').run(own[2]!.id);
    });
    const [b] = verifyDataDir(dir).breaks;
    expect(b).toMatchObject({ planId: owner.planId, rowId: next });
    expect(b!.problem).toMatch(/rows were deleted/);
  });

  it('names the row where the order breaks when two rows are swapped', () => {
    let first = 0;
    const dir = tampered((db, own) => {
      const [a, b] = [own[1]!.id, own[4]!.id];
      first = a;
      db.prepare('UPDATE audit SET id = -1 WHERE id = ?').run(a);
      db.prepare('UPDATE audit SET id = ? WHERE id = ?').run(a, b);
      db.prepare('UPDATE audit SET id = ? WHERE id = -1').run(b);
    });
    const [b] = verifyDataDir(dir).breaks;
    expect(b).toMatchObject({ planId: owner.planId, rowId: first });
    expect(b!.problem).toMatch(/reordered|deleted/);
  });

  it('detects a link rewritten to hide an edit, and a cut-off end, through the head', () => {
    // Edit a row and recompute its hash and every later one: the links hold, the head does not.
    const rewritten = tampered((db, own) => {
      db.prepare("UPDATE audit SET kind = 'doc.read' WHERE id = ?").run(own[2]!.id);
      let prev =
        own[1] && (db.prepare('SELECT hash FROM audit WHERE id = ?').get(own[1].id) as { hash: Buffer }).hash;
      for (const r of own.slice(2)) {
        const full = db.prepare('SELECT * FROM audit WHERE id = ?').get(r.id) as Record<string, unknown>;
        const hash = chainHash(prev!, {
          planId: full.plan_id as string,
          seq: full.seq as number,
          at: full.at as number,
          memberId: full.member_id as string,
          kind: full.kind as string,
          doc: full.doc as string | null,
          target: full.target as string | null,
          count: full.count as number,
        });
        db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
        prev = hash;
      }
      db.prepare('UPDATE audit_heads SET hash = ? WHERE plan_id = ?').run(prev, owner.planId);
    });
    expect(verifyDataDir(rewritten).breaks[0]!.problem).toMatch(/does not authenticate/);

    const cut = tampered((db, own) => {
      db.prepare('DELETE FROM audit WHERE id = ?').run(own[own.length - 1]!.id);
    });
    const [b] = verifyDataDir(cut).breaks;
    expect(b).toMatchObject({ planId: owner.planId, rowId: null });
    expect(b!.problem).toMatch(/are missing: the head says the chain ends/);
  });

  it('keeps serving the owner the log through the API after the upgrade', async () => {
    const dir = tempDir();
    dirs.push(dir);
    cpSync(pristine, dir, { recursive: true });
    const t = await startTestServer({ dataDir: dir });
    try {
      const r = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit?limit=3`, {
        secret: owner.secret,
      });
      expect(r.status).toBe(200);
      expect(r.json.events.map((e: { kind: string }) => e.kind)).toEqual([
        'plan.registered',
        'invite.created',
        'invite.redeemed',
      ]);
      expect(Object.keys(r.json.events[0]).sort()).toEqual([
        'at',
        'count',
        'doc',
        'id',
        'kind',
        'memberId',
        'target',
      ]);
    } finally {
      await t.close();
    }
    expect(verifyDataDir(dir).breaks).toEqual([]);
  });
});
