/**
 * `npx tsx sync-server/crypto/measure.ts`: what encryption at rest costs per update, against
 * what a durable commit costs anyway (docs/reliability.md, "Encryption at rest").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../storage/sqlite.ts';
import { associatedData, MasterKey, newPlanKey, open, seal } from './cipher.ts';

function perOp(n: number, run: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 1000); i++) run(i); // warm-up
  const t = performance.now();
  for (let i = 0; i < n; i++) run(i);
  return ((performance.now() - t) * 1000) / n;
}

const key = newPlanKey();
const aad = associatedData('AAAAAAAAAAAAAAAAAAAAAA', 'plan', 'update');
const lines: string[] = [];
for (const [label, size, n] of [
  ['keystroke update (30 B)', 30, 100_000],
  ['pasted paragraph (2 KiB)', 2048, 50_000],
  ['offline sync step 2 (256 KiB)', 256 * 1024, 500],
] as const) {
  const plain = Buffer.alloc(size, 7);
  const sealed = seal(key, plain, aad);
  const s = perOp(n, () => seal(key, plain, aad));
  const o = perOp(n, () => open(key, sealed, aad));
  lines.push(
    `${label}: seal ${s.toFixed(2)} µs, open ${o.toFixed(2)} µs, +${sealed.length - size} bytes stored`,
  );
}
const master = new MasterKey(newPlanKey());
const wrapped = master.wrapPlanKey('AAAAAAAAAAAAAAAAAAAAAA', key);
lines.push(
  `unwrap a plan key (once per plan while the server runs): ${perOp(20_000, () => master.unwrapPlanKey('AAAAAAAAAAAAAAAAAAAAAA', wrapped)).toFixed(2)} µs`,
);

// The same keystroke updates through the store: each awaited alone, so each is one commit
// with its fsync, the worst case (group commit batches concurrent writers).
const dir = mkdtempSync(join(tmpdir(), 'varde-measure-'));
try {
  const storage = openSqliteStorage(dir);
  const planId = 'BBBBBBBBBBBBBBBBBBBBBB';
  await storage.meta.createPlan(
    { id: planId, createdAt: Date.now() },
    {
      id: 'owner0000000000000',
      planId,
      name: 'Measure',
      role: 'participant',
      levels: { goals: 'edit', plan: 'edit' },
      color: '#000000',
      isOwner: true,
      createdAt: Date.now(),
      revokedAt: null,
    },
    Buffer.alloc(32),
    { address: '127.0.0.1', codeHash: null, maxPlans: 0, maxPlansPerAddress: 0 },
  );
  const update = Buffer.alloc(30, 7);
  const n = 2000;
  const t = performance.now();
  for (let i = 0; i < n; i++) await storage.docs.appendUpdate(planId, 'plan', update);
  const commitUs = ((performance.now() - t) * 1000) / n;
  const t2 = performance.now();
  await storage.docs.loadUpdates(planId, 'plan');
  lines.push(`durable commit of one keystroke update, encryption included: ${commitUs.toFixed(0)} µs`);
  lines.push(`load ${n} stored updates (decrypt included): ${(performance.now() - t2).toFixed(1)} ms`);
  await storage.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
