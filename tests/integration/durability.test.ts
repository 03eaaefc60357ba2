// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { syncProtocols } from '../../core/access/index.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import type { Storage } from '../../sync-server/storage/types.ts';
import {
  call,
  connect,
  invitedMember,
  rawSocket,
  registerPlan,
  removeDir,
  sleep,
  spawnServer,
  startTestServer,
  tempDir,
  token,
  waitFor,
  type ChildServer,
  type Client,
  type TestServer,
} from '../../harness/server.ts';

const dirs: string[] = [];
const children: ChildServer[] = [];
const servers: TestServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.close();
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const d of dirs.splice(0)) removeDir(d);
});

const CHILD_ENV = {
  VARDE_REGISTER_PER_MINUTE: '1000',
  VARDE_REDEEM_PER_MINUTE: '1000',
  VARDE_API_PER_MINUTE: '100000',
  VARDE_MESSAGE_BURST: '5000',
  VARDE_MESSAGES_PER_SECOND: '5000',
};

function storedRows(dataDir: string, planId: string, doc: string): number {
  const db = new Database(join(dataDir, 'varde.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE plan_id = ? AND doc = ?').get(planId, doc) as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
}

describe('durability', () => {
  it('keeps every update it broadcast when killed with SIGKILL right after broadcasting', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const first = await spawnServer({ ...CHILD_ENV, VARDE_DATA_DIR: dataDir });
    children.push(first);
    const owner = await registerPlan(first.url);
    const relative = await invitedMember(first.url, owner, 'relative', 'Ola');
    const writer = await connect(first, owner, 'plan');
    const reader = await connect(first, relative, 'plan');
    clients.push(writer, reader);
    await Promise.all([writer.synced(), reader.synced()]);

    const N = 300;
    const KILL_AT = 150;
    const seen = reader.doc.getMap('log');
    let killedAfter = -1;
    seen.observe(() => {
      // Kill the moment the reader has received half of them: mid-stream, right after a
      // broadcast, with more updates in flight behind it.
      if (killedAfter < 0 && seen.size >= KILL_AT) {
        killedAfter = seen.size;
        first.child.kill('SIGKILL');
      }
    });
    for (let i = 0; i < N; i++) writer.doc.getMap('log').set(`k${i}`, i);
    await waitFor(() => killedAfter > 0, { timeout: 10_000, what: 'the kill' });
    await first.exited;
    const broadcast = [...seen.keys()];
    expect(broadcast.length).toBeGreaterThanOrEqual(KILL_AT);
    writer.provider.disconnect();
    reader.provider.disconnect();

    const second = await spawnServer({ ...CHILD_ENV, VARDE_DATA_DIR: dataDir });
    children.push(second);
    const fresh = await connect(second, owner, 'plan');
    clients.push(fresh);
    await fresh.synced();
    const stored = fresh.doc.getMap('log');
    for (const k of broadcast) expect(stored.get(k)).toBe(Number(k.slice(1)));

    // And the writer, reconnecting, hands over the rest: nothing is lost at all.
    const again = await connect(second, owner, 'plan', { doc: writer.doc });
    clients.push(again);
    await waitFor(() => stored.size === N, { timeout: 10_000, what: 'all updates' });
  });

  it('broadcasts an update only after the store has committed it', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const storage = openSqliteStorage(dataDir);
    const committed = new Set<string>();
    // Everything committed so far, replayed (an update may depend on an earlier one).
    const probe = new Y.Doc();
    const slow: Storage = {
      ...storage,
      docs: {
        ...storage.docs,
        // A slow disk: each commit takes 300 ms. Keys are the map keys the update sets.
        async appendUpdate(planId, doc, update) {
          await sleep(300);
          await storage.docs.appendUpdate(planId, doc, update);
          Y.applyUpdate(probe, update);
          for (const k of probe.getMap('m').keys()) committed.add(k);
        },
      },
    };
    const t = await startTestServer({ dataDir, storage: slow });
    servers.push(t);
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const writer = await connect(t, owner, 'plan');
    const reader = await connect(t, relative, 'plan');
    clients.push(writer, reader);
    await Promise.all([writer.synced(), reader.synced()]);
    const early: string[] = [];
    reader.doc.getMap('m').observe((e) => {
      for (const k of e.keysChanged) if (!committed.has(k)) early.push(k);
    });
    for (let i = 0; i < 5; i++) writer.doc.getMap('m').set(`k${i}`, i);
    await waitFor(() => reader.doc.getMap('m').size === 5, { what: 'broadcasts' });
    expect(early).toEqual([]);
  });

  it('compacts a long update log in the background without losing anything', async () => {
    const t = await startTestServer({ compactThreshold: 20, messagesPerSecond: 5000, messageBurst: 5000 });
    servers.push(t);
    dirs.push(t.dataDir);
    const owner = await registerPlan(t.url);
    const c = await connect(t, owner, 'goals');
    clients.push(c);
    await c.synced();
    for (let i = 0; i < 100; i++) c.doc.getText('t').insert(i, String(i % 10));
    c.doc.getText('t').delete(0, 50);
    await waitFor(() => storedRows(t.dataDir, owner.planId, 'goals') > 0, { what: 'first rows' });
    // The compaction runs a second after the log passes the threshold (the rows are stored one
    // frame per turn of the server's event loop, so the count may still be rising before it).
    await waitFor(
      async () => /varde_compactions_total [1-9]/.test(await (await fetch(`${t.url}/metrics`)).text()),
      {
        timeout: 5000,
        what: 'compaction',
      },
    );
    await waitFor(() => storedRows(t.dataDir, owner.planId, 'goals') < 20, { what: 'the folded rows gone' });
    // The pages of the folded rows left the file: none is kept free for later.
    const db = new Database(join(t.dataDir, 'varde.sqlite'), { readonly: true });
    try {
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    } finally {
      db.close();
    }

    const fresh = await connect(t, owner, 'goals');
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getText('t').toString()).toBe(c.doc.getText('t').toString());
    expect(fresh.doc.getText('t').length).toBe(50);
  });

  it('loads a doc once for all its connections and unloads it when idle', async () => {
    const t = await startTestServer({ roomIdleMs: 200 });
    servers.push(t);
    dirs.push(t.dataDir);
    const owner = await registerPlan(t.url);
    const relative = await invitedMember(t.url, owner, 'relative', 'Ola');
    const gauge = async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return Number(/^varde_docs_loaded (\d+)$/m.exec(text)![1]);
    };
    const a = await connect(t, owner, 'plan');
    const b = await connect(t, relative, 'plan');
    await Promise.all([a.synced(), b.synced()]);
    expect(await gauge()).toBe(1);
    a.doc.getMap('m').set('a', 1);
    b.doc.getMap('m').set('b', 1);
    await waitFor(() => a.doc.getMap('m').size === 2 && b.doc.getMap('m').size === 2, { what: 'sync' });
    a.destroy();
    b.destroy();
    let loaded = 1;
    const deadline = Date.now() + 3000;
    while (loaded !== 0 && Date.now() < deadline) loaded = await gauge();
    expect(loaded).toBe(0);
    // Unloading folds the log into one snapshot (in turns of the fair queue, so just after).
    await waitFor(() => storedRows(t.dataDir, owner.planId, 'plan') === 1, { what: 'the fold' });
    const c = await connect(t, owner, 'plan');
    clients.push(c);
    await c.synced();
    expect(c.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 1 });
    // The audit log names who connected and wrote, with counts and no content.
    const audit = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit`, { secret: owner.secret });
    const kinds = audit.json.events.map((e: { kind: string; memberId: string }) => `${e.kind}:${e.memberId}`);
    expect(kinds).toContain(`doc.wrote:${relative.memberId}`);
    expect(kinds).toContain(`doc.read:${relative.memberId}`);
    expect(kinds).toContain(`doc.disconnected:${relative.memberId}`);
  });

  it('neither stores nor audits an update it already holds, as when two open pages forward edits', async () => {
    const t = await startTestServer();
    servers.push(t);
    dirs.push(t.dataDir);
    const owner = await registerPlan(t.url);
    const page = await connect(t, owner, 'plan');
    clients.push(page);
    await page.synced();
    const sent: Uint8Array[] = [];
    page.doc.on('update', (u: Uint8Array) => sent.push(u));
    const m = page.doc.getMap('m');
    for (let i = 0; i < 5; i++) m.set(`k${i}`, i);
    m.set('k0', 'again'); // overwrites: its update deletes the old value
    const stored = async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      return Number(/^varde_updates_stored_total (\d+)/m.exec(text)?.[1] ?? 0);
    };
    await waitFor(async () => (await stored()) === 6, { what: 'six stored updates' });

    // A second page of the same owner sends every one of them back, then the whole state as a
    // sync step 2 (what a reload does), then one edit of its own.
    const other = rawSocket(t.wsUrl, `/${owner.planId}/plan`, {
      protocols: syncProtocols((await token(t.url, owner)).token),
    });
    expect(await other.opened).toBe(true);
    const frame = (write: (e: encoding.Encoder) => void) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      write(e);
      return encoding.toUint8Array(e);
    };
    for (const u of sent) other.ws.send(frame((e) => syncProtocol.writeUpdate(e, u)));
    other.ws.send(frame((e) => syncProtocol.writeSyncStep2(e, page.doc)));
    const own = new Y.Doc();
    Y.applyUpdate(own, Y.encodeStateAsUpdate(page.doc));
    const fresh: Uint8Array[] = [];
    own.on('update', (u: Uint8Array) => fresh.push(u));
    own.getMap('m').set('from-the-other-page', true);
    other.ws.send(frame((e) => syncProtocol.writeUpdate(e, fresh[0]!)));
    await waitFor(() => m.get('from-the-other-page') === true, { what: 'the new edit relayed' });
    expect(await stored()).toBe(7);
    other.ws.close();
    await other.closed;

    // The audit log counts the seven writes, not the repeats.
    await waitFor(
      async () => {
        const audit = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit`, { secret: owner.secret });
        return audit.json.events.some((e: { kind: string }) => e.kind === 'doc.disconnected');
      },
      { what: 'the raw page audited' },
    );
    page.destroy();
    await waitFor(
      async () => {
        const audit = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit`, { secret: owner.secret });
        const events = audit.json.events as { kind: string; count: number }[];
        return events.filter((e) => e.kind === 'doc.disconnected').length === 2;
      },
      { what: 'both pages audited' },
    );
    const audit = await call(t.url, 'GET', `/api/plans/${owner.planId}/audit`, { secret: owner.secret });
    const wrote = (audit.json.events as { kind: string; count: number }[])
      .filter((e) => e.kind === 'doc.wrote')
      .reduce((n, e) => n + e.count, 0);
    expect(wrote).toBe(7);
  });
});
