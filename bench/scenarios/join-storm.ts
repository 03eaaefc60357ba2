/**
 * Scenario 2, join storm: `clients` bare clients open sockets to one loaded doc of about 1 MB
 * at the same instant and ask for everything (sync step 1 with an empty state vector). Time
 * to synced is from opening the socket to receiving the whole state; the server's RSS is
 * sampled every 10 ms throughout.
 */
import { sleep, summarize, type Summary } from '../lib/stats.ts';
import { seedDoc } from '../lib/seed.ts';
import type { Target } from '../lib/target.ts';
import { WireClient } from '../lib/wire.ts';

export interface JoinStormSize {
  clients: number;
  docBytes: number;
}

export interface JoinStormResult {
  clients: number;
  docBytes: number;
  syncedMs: Summary;
  /** Server RSS just before the storm, and its peak during it. */
  rssBeforeMiB: number;
  peakRssMiB: number;
  failures: number;
}

const MiB = 1024 * 1024;

export async function joinStorm(
  target: Target,
  size: JoinStormSize,
  doc: Uint8Array,
): Promise<JoinStormResult> {
  const [ref] = await target.docs(1);
  const seeder = await seedDoc(target, ref!, doc);
  // A hundred people (on Varde each a member with a token: it caps connections per member).
  const people = await target.members(ref!, size.clients);
  await sleep(300);
  await target.mem(true);
  const rssBefore = target.rssNow();
  const stopSampling = target.samplePeakRss(10);
  let failures = 0;
  const clients: WireClient[] = [];
  const times = await Promise.all(
    people.map(async (person) => {
      const started = performance.now();
      try {
        const client = await WireClient.open(person, target.port);
        clients.push(client);
        client.sendStep1();
        await client.synced(60_000);
        return client.syncedAt! - started;
      } catch {
        failures++;
        return NaN;
      }
    }),
  );
  const peak = stopSampling();
  await Promise.all([...clients, seeder].map((c) => c.close()));
  return {
    clients: size.clients,
    docBytes: doc.byteLength,
    syncedMs: summarize(times.filter(Number.isFinite)),
    rssBeforeMiB: Math.round((rssBefore / MiB) * 10) / 10,
    peakRssMiB: Math.round((peak / MiB) * 10) / 10,
    failures,
  };
}
