import type * as Y from 'yjs';

/**
 * A read model over one or more docs in the shape `useSyncExternalStore` wants: the snapshot
 * is recomputed lazily after a change and is the same object until the next one.
 */
export class DocStore<T> {
  private snapshot: T | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly invalidate = () => {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  };

  constructor(
    private readonly docs: readonly Y.Doc[],
    private readonly read: () => T,
  ) {
    for (const doc of docs) doc.on('update', this.invalidate);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): T => {
    this.snapshot ??= this.read();
    return this.snapshot;
  };

  destroy(): void {
    for (const doc of this.docs) doc.off('update', this.invalidate);
    this.listeners.clear();
  }
}
