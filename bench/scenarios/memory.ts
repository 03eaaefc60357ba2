/**
 * Scenario 3, memory: what the server keeps per idle connection and per loaded document,
 * measured in the server process after two forced GCs, as differences against a baseline.
 * "Live" is V8 heap plus external memory (buffers); RSS is what the kernel charges, allocator
 * slack included. A loaded document is held loaded by one open connection, whose own cost
 * (measured first) is subtracted.
 */
import { pool, sleep } from '../lib/stats.ts';
import { seedDoc } from '../lib/seed.ts';
import type { MemSample, Target } from '../lib/target.ts';
import { WireClient } from '../lib/wire.ts';

export interface MemorySize {
  docs: number;
  idleConnections: number;
}

export interface DocKind {
  name: string;
  update: Uint8Array;
}

export interface PerDoc {
  encodedBytes: number;
  liveBytes: number;
  rssBytes: number;
  /** Live bytes per encoded byte: the figure the target is about. */
  liveRatio: number;
  rssRatio: number;
}

export interface MemoryResult {
  idleConnection: { liveBytes: number; rssBytes: number };
  docs: Record<string, PerDoc>;
  baselineRssMiB: number;
}

const live = (m: MemSample) => m.heapUsed + m.external;

async function connectSynced(
  target: Target,
  refs: Parameters<typeof WireClient.open>[0][],
): Promise<WireClient[]> {
  return pool(
    25,
    refs.map((ref) => async () => {
      const c = await WireClient.open(ref, target.port);
      c.sendStep1();
      await c.synced();
      return c;
    }),
  );
}

export async function memory(target: Target, size: MemorySize, kinds: DocKind[]): Promise<MemoryResult> {
  // Warm up the code paths (first connection, first doc) so they are not charged to the first sample.
  const [warm] = await target.docs(1);
  await Promise.all((await connectSynced(target, [warm!, warm!])).map((c) => c.close()));

  const [idleDoc] = await target.docs(1);
  const people = await target.members(idleDoc!, size.idleConnections);
  const keepLoaded = await connectSynced(target, [idleDoc!]);
  await sleep(200);
  const m0 = await target.mem(true);
  const idle = await connectSynced(target, people);
  await sleep(300);
  const m1 = await target.mem(true);
  const perConnLive = (live(m1) - live(m0)) / size.idleConnections;
  const perConnRss = (m1.rss - m0.rss) / size.idleConnections;
  await Promise.all([...idle, ...keepLoaded].map((c) => c.close()));
  await sleep(300);

  const docs: Record<string, PerDoc> = {};
  for (const kind of kinds) {
    const refs = await target.docs(size.docs);
    const before = await target.mem(true);
    const seeders = await pool(
      8,
      refs.map((ref) => () => seedDoc(target, ref, kind.update)),
    );
    await sleep(300);
    const after = await target.mem(true);
    const liveBytes = (live(after) - live(before)) / size.docs - perConnLive;
    const rssBytes = (after.rss - before.rss) / size.docs - perConnRss;
    docs[kind.name] = {
      encodedBytes: kind.update.byteLength,
      liveBytes: Math.round(liveBytes),
      rssBytes: Math.round(rssBytes),
      liveRatio: Math.round((liveBytes / kind.update.byteLength) * 100) / 100,
      rssRatio: Math.round((rssBytes / kind.update.byteLength) * 100) / 100,
    };
    await Promise.all(seeders.map((c) => c.close()));
    await sleep(300);
  }
  return {
    idleConnection: { liveBytes: Math.round(perConnLive), rssBytes: Math.round(perConnRss) },
    docs,
    baselineRssMiB: Math.round((m0.rss / 1024 / 1024) * 10) / 10,
  };
}
