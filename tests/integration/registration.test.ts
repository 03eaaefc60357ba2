// @vitest-environment node
/**
 * Who may register plans (issue 9, defect 7): an open development server, registration codes
 * the operator issues with `npm run registration-code`, a closed server, quotas on plans (in
 * all and per address) and on stored bytes, tombstones of deleted plans, and a database file
 * only the server's user may read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newPlanId } from '../../core/model/ids.ts';
import { resolveConfig } from '../../sync-server/config.ts';
import { SyncApi, reasonOf } from '../../core/sync/index.ts';
import { problemKey } from '../../components/sharing/errors.ts';
import {
  call,
  connect,
  removeDir,
  startTestServer,
  tempDir,
  waitFor,
  type Member,
  type TestServer,
} from '../../harness/server.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

const servers: TestServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) removeDir(d);
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer(options);
  servers.push(t);
  dirs.push(t.dataDir);
  return t;
}

const register = (t: TestServer, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  call(t.url, 'POST', '/api/plans', { body: { planId: newPlanId(), name: 'Kari', ...body }, headers });

/** The operator's command, as the docs give it, against the running server's data directory. */
async function registrationCode(dataDir: string, ...args: string[]) {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'sync-server/registration-code.ts', ...args, '--data-dir', dataDir],
      { cwd: ROOT },
    );
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

describe('who may register plans', () => {
  it('is open on a loopback development server, and asks for a code anywhere else by default', () => {
    expect(resolveConfig({ host: '127.0.0.1' }).registration).toBe('open');
    expect(resolveConfig({ host: 'localhost' }).registration).toBe('open');
    expect(resolveConfig({ host: '0.0.0.0' }).registration).toBe('code');
    expect(resolveConfig({ host: '127.0.0.1', trustProxy: true }).registration).toBe('code');
    expect(resolveConfig({ host: '0.0.0.0', registration: 'open' }).registration).toBe('open');
  });

  it('takes plans with a code the operator issued, as often as it allows, and says why it refuses', async () => {
    const t = await server({ registration: 'code' });
    expect(t.logs.some((l) => l.includes('"registration":"code"'))).toBe(true);

    const none = await register(t);
    expect([none.status, none.json.error]).toEqual([403, 'registrationCodeRequired']);
    const garbage = await register(t, { registrationCode: 'not a code' });
    expect([garbage.status, garbage.json.error]).toEqual([403, 'registrationCodeInvalid']);
    const unknown = await register(t, { registrationCode: 'ABCDE-FGHJK-MNPQR-STVWX' });
    expect([unknown.status, unknown.json.error]).toEqual([403, 'registrationCodeInvalid']);

    const created = await registrationCode(t.dataDir, 'create', '--uses', '2', '--days', '7');
    expect(created.code).toBe(0);
    const code = /\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\b/.exec(created.stdout)![1]!;
    // Typed as a person might: lower case, spaces instead of dashes.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const first = await register(t, { registrationCode: typed });
    expect(first.status).toBe(201);
    expect((await register(t, { registrationCode: code })).status).toBe(201);
    const third = await register(t, { registrationCode: code });
    expect([third.status, third.json.error]).toEqual([403, 'registrationCodeInvalid']);
    // A refused registration spends nothing and registers nothing.
    expect((await call(t.url, 'GET', `/api/plans/${newPlanId()}/me`)).status).not.toBe(200);

    // The code itself is nowhere in the server's log.
    expect(t.logs.join('\n')).not.toContain(code);
    expect(t.logs.join('\n').toLowerCase()).not.toContain(typed);

    const list = await registrationCode(t.dataDir, 'list');
    expect(list.stdout).toMatch(/used up\s+0 plans left/);
    expect(list.stdout).not.toContain(code);
  });

  it('lets the app ask for a code when the server needs one, and share with it', async () => {
    const t = await server({ registration: 'code' });
    const api = new SyncApi(t.url, (u, i) => fetch(u, i));
    const without = await api.registerPlan(newPlanId(), 'Kari').catch((e: unknown) => e);
    expect(reasonOf(without)).toBe('registrationCodeRequired');
    expect(problemKey(without, 'share')).toBe('sharing.errorCodeRequired');
    const wrong = await api.registerPlan(newPlanId(), 'Kari', 'ABCDE-FGHJK').catch((e: unknown) => e);
    expect(problemKey(wrong, 'share')).toBe('sharing.errorCodeInvalid');
    const created = await registrationCode(t.dataDir, 'create');
    const code = /\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\b/.exec(created.stdout)![1]!;
    const m = await api.registerPlan(newPlanId(), 'Kari', ` ${code} `.trim());
    expect(m.name).toBe('Kari');
  });

  it('stops a revoked code at once, while the server runs', async () => {
    const t = await server({ registration: 'code' });
    const created = await registrationCode(t.dataDir, 'create', '--uses', '10');
    const code = /\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\b/.exec(created.stdout)![1]!;
    const id = /id (\S+),/.exec(created.stdout)![1]!;
    expect((await register(t, { registrationCode: code })).status).toBe(201);
    const revoked = await registrationCode(t.dataDir, 'revoke', id);
    // Its output says why, should it fail (once seen: exit 2 under a full test run's load).
    expect(revoked.code, revoked.stdout).toBe(0);
    expect((await register(t, { registrationCode: code })).json.error).toBe('registrationCodeInvalid');
    expect((await registrationCode(t.dataDir, 'revoke', id)).code).toBe(1);
    expect((await registrationCode(t.dataDir, 'frobnicate')).code).toBe(2);
  });

  it('takes no plans at all when closed, and still serves the plans it has', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const open = await startTestServer({ dataDir, registration: 'open' });
    const planId = newPlanId();
    const owner = await call(open.url, 'POST', '/api/plans', { body: { planId, name: 'Kari' } });
    await open.close();
    const t = await server({ dataDir, registration: 'closed' });
    const r = await register(t);
    expect([r.status, r.json.error]).toEqual([403, 'registrationClosed']);
    const me = await call(t.url, 'GET', `/api/plans/${planId}/me`, { secret: owner.json.memberSecret });
    expect(me.status).toBe(200);
  });
});

describe('quotas on plans and stored bytes', () => {
  it('bounds plans per address (per forwarded address behind a proxy); deleting one makes room', async () => {
    const t = await server({ registration: 'open', trustProxy: true, maxPlansPerAddress: 2 });
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    const a1 = await register(t, {}, from('198.51.100.7'));
    expect((await register(t, {}, from('198.51.100.7'))).status).toBe(201);
    const a3 = await register(t, {}, from('198.51.100.7'));
    expect([a3.status, a3.json.error]).toEqual([403, 'planLimitReached']);
    // Another address has its own allowance; an IPv6 /64 counts as one address.
    expect((await register(t, {}, from('203.0.113.9'))).status).toBe(201);
    expect((await register(t, {}, from('2001:db8:1:2::1'))).status).toBe(201);
    expect((await register(t, {}, from('2001:db8:1:2::99'))).status).toBe(201);
    expect((await register(t, {}, from('2001:db8:1:2:ffff::1'))).json.error).toBe('planLimitReached');

    const deleted = await call(t.url, 'DELETE', `/api/plans/${a1.json.planId}`, {
      secret: a1.json.memberSecret,
    });
    expect(deleted.status).toBe(204);
    expect((await register(t, {}, from('198.51.100.7'))).status).toBe(201);
    // No address is stored in the database, only a keyed MAC of it.
    const db = new Database(join(t.dataDir, 'varde.sqlite'), { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM plans').all());
    db.close();
    expect(dump).not.toContain('198.51.100');
  });

  it('bounds the plans of the whole server', async () => {
    const t = await server({ registration: 'open', maxPlans: 2, maxPlansPerAddress: 0 });
    expect((await register(t)).status).toBe(201);
    expect((await register(t)).status).toBe(201);
    const r = await register(t);
    expect([r.status, r.json.error]).toEqual([403, 'planLimitReached']);
  });

  it('refuses new plans with 507 storageFull once the store holds what the operator allows', async () => {
    const t = await server({ registration: 'open', maxStoredBytes: 1 });
    const r = await register(t);
    expect([r.status, r.json.error]).toEqual([507, 'storageFull']);
  });
});

describe('a deleted plan', () => {
  it('keeps its id from being registered again, also after a restart, and its members cannot connect', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir });
    const planId = newPlanId();
    const owner = await call(first.url, 'POST', '/api/plans', { body: { planId, name: 'Kari' } });
    const del = await call(first.url, 'DELETE', `/api/plans/${planId}`, { secret: owner.json.memberSecret });
    expect(del.status).toBe(204);
    const again = await call(first.url, 'POST', '/api/plans', { body: { planId, name: 'Mallory' } });
    expect([again.status, again.json.error]).toEqual([410, 'planDeleted']);
    await first.close();

    const t = await server({ dataDir });
    const later = await call(t.url, 'POST', '/api/plans', { body: { planId, name: 'Mallory' } });
    expect([later.status, later.json.error]).toEqual([410, 'planDeleted']);
    // The tombstone is a hash: the id itself is not kept.
    const db = new Database(join(dataDir, 'varde.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT * FROM deleted_plans').all() as { id_hash: Buffer }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash.toString('latin1')).not.toContain(planId);
  });
});

describe('the database files', () => {
  it('are created 0600 whatever the umask, and an older 0644 file is tightened at start', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const old = process.umask(0o022);
    try {
      const first = await startTestServer({ dataDir });
      const planId = newPlanId();
      const owner = await call(first.url, 'POST', '/api/plans', { body: { planId, name: 'Kari' } });
      // Something written through the WAL, so its file exists too.
      const member: Member = {
        planId,
        memberId: owner.json.memberId,
        secret: owner.json.memberSecret,
        role: 'participant',
        levels: owner.json.levels,
      };
      const c = await connect(first, member, 'plan');
      await c.synced();
      c.doc.getMap('m').set('k', 1);
      await waitFor(() => existsSync(join(dataDir, 'varde.sqlite-wal')), { what: 'the WAL' });
      c.destroy();
      for (const f of ['varde.sqlite', 'varde.sqlite-wal']) {
        expect((statSync(join(dataDir, f)).mode & 0o777).toString(8)).toBe('600');
      }
      await first.close();
      chmodSync(join(dataDir, 'varde.sqlite'), 0o644);
      await server({ dataDir });
      expect((statSync(join(dataDir, 'varde.sqlite')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      process.umask(old);
    }
  });

  it('upgrades a version-1 database: its plans stay, and tombstones and codes work from then on', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir });
    const planId = newPlanId();
    const owner = await call(first.url, 'POST', '/api/plans', { body: { planId, name: 'Kari' } });
    await first.close();
    // Back to what version 1 wrote: no tombstones, no codes, no origins.
    const db = new Database(join(dataDir, 'varde.sqlite'));
    db.exec(`DROP TABLE deleted_plans; DROP TABLE registration_codes; DROP INDEX plans_origin;
             ALTER TABLE plans DROP COLUMN origin; PRAGMA user_version = 1;`);
    db.close();

    const t = await server({ dataDir, maxPlansPerAddress: 1 });
    const me = await call(t.url, 'GET', `/api/plans/${planId}/me`, { secret: owner.json.memberSecret });
    expect([me.status, me.json.name]).toEqual([200, 'Kari']);
    // A plan from before the upgrade has no recorded origin: it counts against no address.
    expect((await register(t)).status).toBe(201);
    await call(t.url, 'DELETE', `/api/plans/${planId}`, { secret: owner.json.memberSecret });
    expect((await call(t.url, 'POST', '/api/plans', { body: { planId, name: 'X' } })).json.error).toBe(
      'planDeleted',
    );
    const check = new Database(join(dataDir, 'varde.sqlite'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});
