/**
 * Per-plan data keys: created with the plan, stored wrapped by the master key in `plan_keys`,
 * unwrapped on first use and cached. Deleting the plan deletes the wrapped key (ON DELETE
 * CASCADE) and drops the cached one, which makes any copy of the plan's rows unreadable.
 */
import type Database from 'better-sqlite3';
import { associatedData, newPlanKey, open, seal, type MasterKey, type RecordKind } from '../crypto/cipher.ts';

/** Unwrapped keys kept in memory; far above the plans one server has open at once. */
const CACHE_LIMIT = 10_000;

/** Each plan's data key: created, unwrapped and cached, used to seal and open its records. */
export class PlanKeys {
  private cache = new Map<string, Buffer>();
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly master: MasterKey,
  ) {
    this.insert = db.prepare('INSERT INTO plan_keys (plan_id, wrapped, created_at) VALUES (?, ?, ?)');
    this.select = db.prepare('SELECT wrapped FROM plan_keys WHERE plan_id = ?');
  }

  /** Makes and stores a key for a new plan; call inside the transaction that creates the plan. */
  create(planId: string): void {
    const key = newPlanKey();
    this.insert.run(planId, this.master.wrapPlanKey(planId, key), Date.now());
    this.remember(planId, key);
  }

  /** The plan's key; throws when the plan has none (deleted, or never registered). */
  get(planId: string): Buffer {
    const cached = this.cache.get(planId);
    if (cached) return cached;
    const row = this.select.get(planId) as { wrapped: Buffer } | undefined;
    if (!row) throw new Error('plan has no key');
    const key = this.master.unwrapPlanKey(planId, row.wrapped);
    this.remember(planId, key);
    return key;
  }

  forget(planId: string): void {
    this.cache.get(planId)?.fill(0);
    this.cache.delete(planId);
  }

  seal(planId: string, scope: string, kind: RecordKind, plaintext: Uint8Array): Buffer {
    return seal(this.get(planId), plaintext, associatedData(planId, scope, kind));
  }

  open(planId: string, scope: string, kind: RecordKind, record: Uint8Array): Buffer {
    return open(this.get(planId), record, associatedData(planId, scope, kind));
  }

  sealName(planId: string, memberId: string, name: string): Buffer {
    return this.seal(planId, `member:${memberId}`, 'member-name', Buffer.from(name, 'utf8'));
  }

  openName(planId: string, memberId: string, record: Uint8Array): string {
    return this.open(planId, `member:${memberId}`, 'member-name', record).toString('utf8');
  }

  private remember(planId: string, key: Buffer): void {
    if (this.cache.size >= CACHE_LIMIT) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    this.cache.set(planId, key);
  }
}
