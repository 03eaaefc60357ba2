/**
 * Scenario 5, storage: `writers` bare clients make `edits` keystrokes in one service plan, each
 * keystroke its own update message, paced at `rate` per second in total. When the server holds
 * them all the writers leave (Varde then compacts the log on unloading the idle doc; Hocuspocus
 * stores the state on unload), and the database files are measured, running and after a clean
 * stop. Not run against the reference server: it keeps nothing.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import * as Y from 'yjs';
import { Typist, basePlanDoc, sectionTexts } from '../lib/docs.ts';
import { fetchState, holds } from '../lib/seed.ts';
import { sleep, waitFor } from '../lib/stats.ts';
import { mulberry32 } from '../../harness/random.ts';
import { Target, type ServerKind } from '../lib/target.ts';
import { WireClient } from '../lib/wire.ts';

export interface StorageSize {
  edits: number;
  writers: number;
  rate: number;
}

export interface StorageResult {
  edits: number;
  encodedBytes: number;
  /** Database files while the server runs (main file + WAL + shared memory / journal). */
  runningBytes: number;
  /** The database file after a clean stop, and that of an empty database (schema, one plan). */
  stoppedBytes: number;
  emptyBytes: number;
  /** (stopped − empty) per KiB of encoded doc: the target is ≤ 2048 (2×). */
  bytesPerKiB: number;
  /** Varde: rows left in the update log and their payload bytes. */
  logRows?: number;
  logPayloadBytes?: number;
  seconds: number;
}

const fileBytes = (files: string[]) => files.reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);

/** Settings for this scenario: no per-connection rate limit, and a short idle unload. */
export const STORAGE_VARDE = {
  messagesPerSecond: 1_000_000,
  messageBurst: 1_000_000,
  memberMessagesPerSecond: 1_000_000,
  roomIdleMs: 2000,
};

async function emptyDatabaseBytes(kind: ServerKind): Promise<number> {
  const target = await Target.start(kind, STORAGE_VARDE);
  try {
    const [ref] = await target.docs(1);
    await fetchState(ref!, target.port);
    await target.stop({ keep: true });
    return fileBytes(target.dataFiles());
  } finally {
    target.removeData();
  }
}

export async function storage(target: Target, size: StorageSize): Promise<StorageResult> {
  const started = performance.now();
  const [ref] = await target.docs(1);
  const base = Y.encodeStateAsUpdate(basePlanDoc());
  const docs: Y.Doc[] = [];
  const clients: WireClient[] = [];
  const typists: Typist[] = [];
  for (let w = 0; w < size.writers; w++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base, 'base');
    const client = await WireClient.open(ref!, target.port);
    client.sendStep1();
    await client.synced();
    if (w === 0) client.sendUpdate(base);
    doc.on('update', (u: Uint8Array, origin: unknown) => origin === 'local' && client.sendUpdate(u));
    docs.push(doc);
    clients.push(client);
    typists.push(new Typist(sectionTexts(doc)[w % 12]!, mulberry32(100 + w)));
  }
  // Paced in 10 ms ticks; the writers share the rate.
  const perTick = size.rate / 100;
  let made = 0;
  let credit = 0;
  while (made < size.edits) {
    credit += perTick;
    for (; credit >= 1 && made < size.edits; credit--, made++) typists[made % typists.length]!.type();
    await sleep(10);
  }
  const merged = new Y.Doc();
  for (const d of docs) Y.applyUpdate(merged, Y.encodeStateAsUpdate(d));
  const expected = Y.parseUpdateMeta(Y.encodeStateAsUpdate(merged)).to;
  await waitFor(() => holds(target, ref!, expected), 'server to hold every edit', 120_000, 250);
  const encodedBytes = Y.encodeStateAsUpdate(merged).byteLength;
  await Promise.all(clients.map((c) => c.close()));
  // Varde unloads (and compacts) after roomIdleMs; Hocuspocus stores on unload at once.
  await sleep(STORAGE_VARDE.roomIdleMs + 1500);
  const runningBytes = fileBytes(target.dataFiles());
  await target.stop({ keep: true });
  const stoppedBytes = fileBytes(target.dataFiles());
  let log: { rows: number; bytes: number } | undefined;
  if (target.kind === 'varde') {
    const db = new Database(target.dataFiles()[0]!, { readonly: true });
    try {
      log = db
        .prepare('SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates')
        .get() as {
        rows: number;
        bytes: number;
      };
    } catch {
      // The schema moved on: the file sizes still tell the story.
    } finally {
      db.close();
    }
  }
  target.removeData();
  const emptyBytes = await emptyDatabaseBytes(target.kind);
  return {
    edits: made,
    encodedBytes,
    runningBytes,
    stoppedBytes,
    emptyBytes,
    bytesPerKiB: Math.round((stoppedBytes - emptyBytes) / (encodedBytes / 1024)),
    logRows: log?.rows,
    logPayloadBytes: log?.bytes,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
