// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { MasterKeyError } from '../../sync-server/crypto/master-key.ts';
import { startServer } from '../../sync-server/server.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import { SCHEMA_SQL } from '../../sync-server/storage/sqlite-schema.ts';
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
  type Client,
  type TestServer,
} from '../../harness/server.ts';
import { findInFiles, fingerprint, textNeedles } from './trust-storage-files.ts';

const dirs: string[] = [];
const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

const marker = (what: string) => `${what}-${randomBytes(12).toString('hex')}-early warning signs`;

function readRows<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'varde.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  // No idle unload or compaction behind the test's back, unless a test asks for it.
  const t = await startTestServer({ roomIdleMs: 600_000, compactThreshold: 100_000, ...options });
  servers.push(t);
  if (!dirs.includes(t.dataDir)) dirs.push(t.dataDir);
  return t;
}

describe('encryption at rest', () => {
  it('stores no plaintext of a plan in any file, and nothing recoverable once the plan is deleted', async () => {
    const t = await server({ compactThreshold: 5 });
    const text = marker('CONTENT');
    const name = marker('NAME');
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', name);
    const other = await registerPlan(t.url, 'Another participant');

    const writer = await connect(t, owner, 'plan');
    const reader = await connect(t, relative, 'plan');
    const bystander = await connect(t, other, 'plan');
    clients.push(writer, reader, bystander);
    await Promise.all([writer.synced(), reader.synced(), bystander.synced()]);
    const updates: Uint8Array[] = [];
    writer.doc.on('update', (u: Uint8Array) => updates.push(u));
    writer.doc.getText('body').insert(0, text);
    bystander.doc.getText('body').insert(0, 'the other plan stays');
    // Received by another client, so committed (the server broadcasts only after the commit).
    await waitFor(() => reader.doc.getText('body').toString() === text, { what: 'broadcast' });

    const needles = { ...textNeedles('content', text), ...textNeedles('name', name), update: updates[0]! };
    // The scan can see: ids are stored in clear, so the plan id must be found.
    expect(findInFiles(t.dataDir, { planId: Buffer.from(owner.planId) })).not.toEqual([]);
    expect(statSync(join(t.dataDir, 'varde.sqlite-wal')).size).toBeGreaterThan(0);
    expect(findInFiles(t.dataDir, needles)).toEqual([]);
    const beforeCompaction = readRows<{ data: Buffer }>(
      t.dataDir,
      'SELECT data FROM doc_updates WHERE plan_id = ?',
      owner.planId,
    ).map((r) => r.data);

    // More edits pass the compaction threshold: the snapshot is sealed too.
    for (let i = 0; i < 8; i++) writer.doc.getText('body').insert(0, `${i} `);
    await waitFor(
      () =>
        readRows(t.dataDir, "SELECT 1 FROM doc_updates WHERE plan_id = ? AND kind = 'snapshot'", owner.planId)
          .length > 0,
      { what: 'a compaction', timeout: 10_000 },
    );
    expect(findInFiles(t.dataDir, needles)).toEqual([]);

    // Everything stored for the plan, as it is on disk: sealed records and the wrapped key.
    const sealed = [
      ...beforeCompaction,
      ...readRows<{ data: Buffer }>(
        t.dataDir,
        'SELECT data FROM doc_updates WHERE plan_id = ?',
        owner.planId,
      ).map((r) => r.data),
      ...readRows<{ name: Buffer }>(
        t.dataDir,
        'SELECT name FROM members WHERE plan_id = ?',
        owner.planId,
      ).map((r) => r.name),
    ];
    const [key] = readRows<{ wrapped: Buffer }>(
      t.dataDir,
      'SELECT wrapped FROM plan_keys WHERE plan_id = ?',
      owner.planId,
    );
    expect(key).toBeDefined();
    expect(sealed.every((b) => Buffer.isBuffer(b) && b.length > 28)).toBe(true);

    expect((await call(t.url, 'DELETE', `/api/plans/${owner.planId}`, { secret: owner.secret })).status).toBe(
      204,
    );
    expect(readRows(t.dataDir, 'SELECT 1 FROM plan_keys WHERE plan_id = ?', owner.planId)).toEqual([]);
    expect(statSync(join(t.dataDir, 'varde.sqlite-wal')).size).toBe(0);
    const leftovers = Object.fromEntries([
      ['wrapped plan key', key!.wrapped],
      ...sealed.map((b, i) => [`sealed record ${i}`, b] as const),
    ]);
    expect(findInFiles(t.dataDir, { ...needles, ...leftovers })).toEqual([]);

    // The other plan is untouched and still decrypts.
    const again = await connect(t, other, 'plan');
    clients.push(again);
    await again.synced();
    expect(again.doc.getText('body').toString()).toBe('the other plan stays');
    await t.close();
    expect(findInFiles(t.dataDir, { ...needles, ...leftovers })).toEqual([]);
  });

  it('binds each record to its plan, doc and kind: a row moved elsewhere is not read', async () => {
    const t = await server();
    const a = await registerPlan(t.url);
    const b = await registerPlan(t.url);
    const ca = await connect(t, a, 'plan');
    clients.push(ca);
    await ca.synced();
    ca.doc.getMap('m').set('secret', 'only in plan a');
    await waitFor(
      () => readRows(t.dataDir, 'SELECT 1 FROM doc_updates WHERE plan_id = ?', a.planId).length > 0,
    );
    await t.close();
    const db = new Database(join(t.dataDir, 'varde.sqlite'));
    db.prepare(
      "INSERT INTO doc_updates (plan_id, doc, kind, data) SELECT ?, 'plan', kind, data FROM doc_updates WHERE plan_id = ?",
    ).run(b.planId, a.planId);
    db.prepare(
      "INSERT INTO doc_updates (plan_id, doc, kind, data) SELECT plan_id, 'goals', kind, data FROM doc_updates WHERE plan_id = ? AND doc = 'plan'",
    ).run(a.planId);
    db.close();

    const storage = openSqliteStorage(t.dataDir);
    const moved = [
      ...(await storage.docs.loadUpdates(b.planId, 'plan')),
      ...(await storage.docs.loadUpdates(a.planId, 'goals')),
    ];
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((u) => u.length === 0)).toBe(true);
    const own = await storage.docs.loadUpdates(a.planId, 'plan');
    const doc = new Y.Doc();
    for (const u of own) Y.applyUpdate(doc, u);
    expect(doc.getMap('m').get('secret')).toBe('only in plan a');
    await storage.close();
  });

  it('refuses to start with a wrong or missing master key, clearly and without changing anything', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir });
    const owner = await registerPlan(first.url);
    const c = await connect(first, owner, 'plan');
    c.doc.getMap('m').set('kept', true);
    await waitFor(() => readRows(dataDir, 'SELECT 1 FROM doc_updates').length > 0);
    c.destroy();
    await first.close();
    const before = fingerprint(dataDir);

    const wrong = randomBytes(32).toString('base64');
    const refused = await startServer({ port: 0, dataDir, masterKey: wrong }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(MasterKeyError);
    expect((refused as MasterKeyError).reason).toBe('mismatch');
    expect((refused as Error).message).toMatch(
      /not the one this database was encrypted with.*Nothing was changed/s,
    );
    expect(fingerprint(dataDir)).toEqual(before);

    // As a process: one clear line and exit 78 (EX_CONFIG), which supervisors do not restart.
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', VARDE_DATA_DIR: dataDir, VARDE_MASTER_KEY: wrong },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).toBe(78);
    expect(child.stderr).toMatch(
      /^Varde sync server not started: the master key given \(id [0-9a-f]+\) is not/,
    );
    expect(child.stderr).not.toContain(wrong);
    expect(fingerprint(dataDir)).toEqual(before);

    // A lost key file is not silently replaced by a new key.
    renameSync(join(dataDir, 'master.key'), join(dataDir, 'master.key.away'));
    const missing = await startServer({ port: 0, dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((missing as MasterKeyError).reason).toBe('missing');
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
    renameSync(join(dataDir, 'master.key.away'), join(dataDir, 'master.key'));
    expect(fingerprint(dataDir)).toEqual(before);

    const second = await startTestServer({ dataDir });
    servers.push(second);
    const again = await connect(second, owner, 'plan');
    clients.push(again);
    await again.synced();
    expect(again.doc.getMap('m').get('kept')).toBe(true);
  });

  it('takes the master key from the environment instead of a file', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const masterKey = randomBytes(32).toString('base64');
    const first = await startTestServer({ dataDir, masterKey });
    const owner = await registerPlan(first.url);
    await first.close();
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
    const second = await startTestServer({ dataDir, masterKey });
    servers.push(second);
    expect(
      (await call(second.url, 'GET', `/api/plans/${owner.planId}/me`, { secret: owner.secret })).json.name,
    ).toBe('Kari');
  });

  it('upgrades a database written in clear text: encrypts it, chains its audit log, leaves no plaintext', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const text = marker('OLD');
    const name = marker('OLDNAME');
    const planId = 'AAAAAAAAAAAAAAAAAAAAAA';
    const source = new Y.Doc();
    source.getText('body').insert(0, text);
    const update = Y.encodeStateAsUpdate(source);
    // A data directory of the first release: no keys, clear text, an unchained audit log.
    const old = new Database(join(dataDir, 'varde.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec(SCHEMA_SQL);
    old.prepare('INSERT INTO plans (id, created_at) VALUES (?, 1)').run(planId);
    old
      .prepare(
        `INSERT INTO members (id, plan_id, secret_hash, name, role, goals, plan, color, is_owner, created_at)
       VALUES ('owner0000000000000', ?, ?, ?, 'participant', 'edit', 'edit', '#000000', 1, 1)`,
      )
      .run(planId, randomBytes(32), name);
    old.prepare("INSERT INTO doc_updates (plan_id, doc, data) VALUES (?, 'plan', ?)").run(planId, update);
    for (const kind of ['plan.registered', 'doc.connected', 'doc.wrote'])
      old
        .prepare("INSERT INTO audit (plan_id, at, member_id, kind) VALUES (?, 1, 'owner0000000000000', ?)")
        .run(planId, kind);
    old.close();
    expect(findInFiles(dataDir, textNeedles('content', text))).not.toEqual([]);

    const storage = openSqliteStorage(dataDir);
    const doc = new Y.Doc();
    for (const u of await storage.docs.loadUpdates(planId, 'plan')) Y.applyUpdate(doc, u);
    expect(doc.getText('body').toString()).toBe(text);
    expect((await storage.meta.listMembers(planId))[0]!.name).toBe(name);
    expect(findInFiles(dataDir, { ...textNeedles('content', text), ...textNeedles('name', name) })).toEqual(
      [],
    );
    await storage.close();
    const report = verifyDataDir(dataDir);
    expect([report.rows, report.breaks, report.headsChecked]).toEqual([3, [], true]);
    // The old file now gives pages freed by compaction back (auto_vacuum incremental).
    expect(readRows<{ auto_vacuum: number }>(dataDir, 'PRAGMA auto_vacuum')).toEqual([{ auto_vacuum: 2 }]);
  });
});
