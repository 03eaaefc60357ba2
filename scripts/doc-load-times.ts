/**
 * `npx tsx scripts/doc-load-times.ts <data-dir>`: for each stored doc of a sync server's data
 * directory (SQLite, its master key beside it or in VARDE_MASTER_KEY), how long applying each
 * stored row takes, the slowest first. For looking into slow loads (`doc.slowLoad`), e.g. of a
 * frame fuzz run kept with VARDE_FUZZ_KEEP_DATA=1 (docs/reliability.md). Prints ids, counts
 * and times only, never content. Run it on a copy, with the server stopped.
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { DocName } from '../core/model/schema.ts';
import { openSqliteStorage } from '../sync-server/storage/sqlite.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/doc-load-times.ts <data-dir>');
  process.exit(2);
}
const db = new Database(`${dir}/varde.sqlite`, { readonly: true });
const docs = db.prepare('SELECT DISTINCT plan_id, doc FROM doc_updates').all() as {
  plan_id: string;
  doc: DocName;
}[];
db.close();
const storage = openSqliteStorage(dir, { masterKey: process.env.VARDE_MASTER_KEY });
const rows: string[][] = [];
try {
  for (const { plan_id: planId, doc } of docs) {
    const updates = await storage.docs.loadUpdates(planId, doc);
    const built = new Y.Doc();
    let slowest = 0;
    let slowestBytes = 0;
    let total = 0;
    for (const update of updates) {
      const started = performance.now();
      try {
        Y.applyUpdate(built, update);
      } catch {
        // a damaged row: the server skips it too
      }
      const ms = performance.now() - started;
      total += ms;
      if (ms > slowest) [slowest, slowestBytes] = [ms, update.byteLength];
    }
    let structs = 0;
    for (const list of built.store.clients.values()) structs += list.length;
    rows.push([
      slowest.toFixed(1),
      planId.slice(0, 8),
      doc,
      String(updates.length),
      String(structs),
      String(built.store.clients.size),
      String(slowestBytes),
      total.toFixed(0),
    ]);
    built.destroy();
  }
} finally {
  await storage.close();
}
rows.sort((a, b) => Number(b[0]) - Number(a[0]));
console.log('slowest row ms, plan, doc, rows, structs, client ids, slowest row bytes, all rows ms');
for (const row of rows) console.log(row.join('\t'));
