/**
 * What every client did, recorded from the Yjs transactions themselves, and the checks that
 * nothing it did was lost. A client's own edits are its *local* transactions (`tr.local`:
 * commands, migrations, rich-text typing; never what came from the server, IndexedDB or
 * another page). The ledger watches every plan doc a device opens, through its platform, so
 * it sees the plan's creation and seeding too. docs/reliability.md "Convergence fuzzing"
 * defines "present" in words; the checks below are that definition.
 */
import * as Y from 'yjs';
import { DOC_NAMES, type DocName } from '../../core/model/index.ts';

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;
// Yjs types are invariant in their content; the ledger only walks their items.
type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type IdLike = { readonly client: number; readonly clock: number };
export const idKey = (id: IdLike): string => `${id.client}:${id.clock}`;

/** One write of a map key (a short field, an order key, an item in a collection) or its removal. */
interface KeyOp {
  readonly kind: 'set' | 'delete';
  /** The set's own item, or the item the delete removed. */
  readonly id: Y.ID;
  /** The writer's state vector before its transaction: what it had seen. */
  readonly seen: ReadonlyMap<number, number>;
  readonly by: string;
}

/** Characters typed into a rich-text field (one Yjs string item). */
interface TypedText {
  readonly client: number;
  readonly clock: number;
  readonly text: string;
  /** The items that hold it: its XmlText, paragraph, fragment, goal or section, ... */
  readonly ancestors: readonly string[];
  readonly by: string;
}

class DocLedger {
  /** Clock ranges of every local transaction, by writer. */
  readonly ranges: { client: number; from: number; to: number; by: string; origin: string }[] = [];
  /** Key ops by `container|key`; the container is a root name or its item's id. */
  readonly keys = new Map<string, KeyOp[]>();
  readonly typed: TypedText[] = [];
  readonly deletes: DeleteSet[] = [];
  transactions = 0;
}

function containerOf(type: AnyType): string {
  return type._item === null ? `root:${Y.findRootTypeKey(type)}` : idKey(type._item.id);
}

function ancestorsOf(type: AnyType | null): string[] {
  const out: string[] = [];
  while (type && type._item) {
    out.push(idKey(type._item.id));
    type = type._item.parent as AnyType | null;
  }
  return out;
}

/** The structs of `client` from `clock` on, without splitting any (the transaction is over). */
function* structsFrom(doc: Y.Doc, client: number, from: number, to: number) {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0) return;
  const last = structs[structs.length - 1]!;
  if (from >= last.id.clock + last.length) return;
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= to) return;
    yield s;
  }
}

export class Ledger {
  readonly docs = Object.fromEntries(DOC_NAMES.map((d) => [d, new DocLedger()])) as Record<
    DocName,
    DocLedger
  >;

  /** Records every local transaction of `doc` as made by `by`. */
  watch(name: DocName, doc: Y.Doc, by: string): void {
    const ledger = this.docs[name];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!tr.local) return;
      ledger.transactions += 1;
      const client = doc.clientID;
      const from = tr.beforeState.get(client) ?? 0;
      const to = tr.afterState.get(client) ?? 0;
      const seen = new Map(tr.beforeState);
      if (to > from) {
        ledger.ranges.push({
          client,
          from,
          to,
          by,
          origin: typeof tr.origin === 'string' ? tr.origin : 'other',
        });
        for (const s of structsFrom(doc, client, from, to)) {
          if (!(s instanceof Y.Item)) continue;
          const parent = s.parent as AnyType | null;
          if (!parent) continue;
          if (s.parentSub !== null) {
            this.keyOp(ledger, parent, s.parentSub, { kind: 'set', id: s.id, seen, by });
          } else if (s.content instanceof Y.ContentString && parent instanceof Y.XmlText) {
            ledger.typed.push({
              client: s.id.client,
              clock: s.id.clock,
              text: s.content.str,
              ancestors: ancestorsOf(parent),
              by,
            });
          }
        }
      }
      if (tr.deleteSet.clients.size > 0) {
        ledger.deletes.push(Y.mergeDeleteSets([tr.deleteSet]));
        for (const [delClient, ranges] of tr.deleteSet.clients) {
          for (const { clock, len } of ranges) {
            for (const s of structsFrom(doc, delClient, clock, clock + len)) {
              if (!(s instanceof Y.Item) || s.parentSub === null) continue;
              const parent = s.parent as AnyType | null;
              if (parent) this.keyOp(ledger, parent, s.parentSub, { kind: 'delete', id: s.id, seen, by });
            }
          }
        }
      }
    });
  }

  private keyOp(ledger: DocLedger, parent: AnyType, key: string, op: KeyOp): void {
    const k = `${containerOf(parent)}|${key}`;
    const list = ledger.keys.get(k) ?? [];
    list.push(op);
    ledger.keys.set(k, list);
  }

  /** Local transactions recorded, over all docs. */
  get transactions(): number {
    return DOC_NAMES.reduce((n, d) => n + this.docs[d].transactions, 0);
  }

  /**
   * Checks `final` (the server's copy of doc `name`) against everything recorded; returns
   * what is wrong, one line each, at most `limit` lines.
   */
  check(name: DocName, final: Y.Doc, limit = 20): string[] {
    const ledger = this.docs[name];
    const out: string[] = [];
    const fail = (line: string) => {
      if (out.length < limit) out.push(`${name}: ${line}`);
    };

    // 1. Every local transaction reached the server.
    for (const r of ledger.ranges) {
      const has = Y.getState(final.store, r.client);
      if (has < r.to)
        fail(
          `lost update: ${r.by}'s ${r.origin} change (clocks ${r.from}..${r.to} of client ${r.client}; the server has ${has})`,
        );
    }

    const explicit = Y.mergeDeleteSets(ledger.deletes);
    const deletedByKey = (key: string) => {
      const [client, clock] = key.split(':').map(Number) as [number, number];
      return Y.isDeleted(explicit, Y.createID(client, clock));
    };
    const itemAt = (client: number, clock: number): Y.Item | Y.GC | null => {
      if (Y.getState(final.store, client) <= clock) return null;
      const structs = final.store.clients.get(client)!;
      const s = structs[Y.findIndexSS(structs, clock)]!;
      return s instanceof Y.Item || s instanceof Y.GC ? s : null;
    };
    const alive = (s: Y.Item | Y.GC | null): boolean => {
      if (!(s instanceof Y.Item) || s.deleted) return false;
      let parent = s.parent as AnyType | null;
      while (parent && parent._item) {
        if (parent._item.deleted) return false;
        parent = parent._item.parent as AnyType | null;
      }
      return true;
    };
    const sees = (observer: KeyOp, target: KeyOp): boolean => {
      if (observer === target) return false;
      if (observer.kind === 'delete' && Y.compareIDs(observer.id, target.id)) return true;
      if (observer.kind === 'set' && observer.id.client === target.id.client)
        return observer.id.clock > target.id.clock;
      return (observer.seen.get(target.id.client) ?? 0) > target.id.clock;
    };

    // 2. Every map key ends as a causally last write: a set that no other write or delete of
    // that key had seen; or, when the key is gone, every set was seen by a later write or delete.
    for (const [k, ops] of ledger.keys) {
      const bar = k.lastIndexOf('|');
      const container = k.slice(0, bar);
      const key = k.slice(bar + 1);
      let type: AnyType;
      if (container.startsWith('root:')) type = final.getMap(container.slice(5));
      else {
        const [client, clock] = container.split(':').map(Number) as [number, number];
        const item = itemAt(client, clock);
        // The container itself was deleted (its goal, section, ...): its keys went with it.
        if (!alive(item)) continue;
        type = ((item as Y.Item).content as Y.ContentType).type;
      }
      const current = type._map.get(key);
      const sets = ops.filter((o) => o.kind === 'set');
      if (current && !current.deleted) {
        const op = sets.find((o) => Y.compareIDs(o.id, current.id));
        if (!op) {
          fail(`${key} of ${container} holds a value nobody wrote (${idKey(current.id)})`);
          continue;
        }
        const seenBy = ops.find((o) => sees(o, op));
        if (seenBy)
          fail(`${key} of ${container} holds ${op.by}'s write that ${seenBy.by} had replaced or deleted`);
      } else {
        const live = sets.find((s) => !ops.some((o) => sees(o, s)));
        if (live)
          fail(`${key} of ${container} is gone, but ${live.by}'s write of it was never replaced or deleted`);
      }
    }

    // 3. Every character typed is visible unless someone deleted it or what holds it; and no
    // visible character is one nobody typed.
    const typedKeys = new Set<string>();
    for (const t of ledger.typed) {
      const holderDeleted = t.ancestors.some(deletedByKey);
      for (let i = 0; i < t.text.length; i++) {
        const id = Y.createID(t.client, t.clock + i);
        typedKeys.add(idKey(id));
        const expected = !holderDeleted && !Y.isDeleted(explicit, id);
        const s = itemAt(t.client, t.clock + i);
        if (s === null) {
          fail(`lost text: ${t.by} typed "${t.text}" and the server lacks it`);
          break;
        }
        const visible = alive(s);
        if (visible !== expected) {
          fail(
            expected
              ? `lost text: "${t.text[i]}" of "${t.text}" typed by ${t.by} is gone, yet nobody deleted it`
              : `text not deleted: "${t.text[i]}" of "${t.text}" typed by ${t.by} was deleted and is back`,
          );
          break;
        }
      }
    }
    for (const [, structs] of final.store.clients) {
      for (const s of structs) {
        if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString)) continue;
        if (!(s.parent instanceof Y.XmlText) || !alive(s)) continue;
        for (let i = 0; i < s.length; i++) {
          if (!typedKeys.has(idKey(Y.createID(s.id.client, s.id.clock + i)))) {
            fail(`text nobody typed: "${s.content.str}"`);
            break;
          }
        }
      }
    }
    return out;
  }
}
