import type Database from 'better-sqlite3';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes issued in the same turn of the event loop share one transaction, so
 * one fsync covers a burst of keystrokes from many clients. Promises resolve in call order,
 * after the commit.
 */
export class WriteQueue {
  private items: Pending[] = [];
  private scheduled = false;
  constructor(private readonly db: Database.Database) {}

  enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  flush(): void {
    this.scheduled = false;
    const items = this.items;
    this.items = [];
    if (items.length === 0) return;
    const results: unknown[] = [];
    try {
      this.db.transaction(() => {
        for (const item of items) results.push(item.run());
      })();
      items.forEach((item, i) => item.resolve(results[i]));
    } catch {
      // One bad write (e.g. to a plan deleted meanwhile) must not fail its neighbours:
      // retry each alone.
      for (const item of items) {
        try {
          item.resolve(this.db.transaction(item.run)());
        } catch (error) {
          item.reject(error);
        }
      }
    }
  }
}
