/**
 * A bound on the work Yjs does to place concurrent insertions, for the write guard's dry run.
 *
 * Why: Yjs places an item among concurrent ones (YATA) by walking every item between its left
 * and right neighbours as they were when it was written, with two `Set`s per walk (about
 * 170 ns a step, 2 vCPUs). Items written by many client ids at one spot make that walk long
 * for each later item, so the cost of one update is its items times the crowd they land in:
 * on a text holding 19,000 one-character items from 19,000 client ids at one spot, an update
 * of 1,000 more (10 KB) took 3.3 s to apply, and one of 19,000 more 65 s (found by a CPU
 * profile of the frame fuzz's slowest doc loads; `tests/unit/conflict-budget.test.ts`). The
 * struct caps do not bound this: it grows with the square of the crowd.
 *
 * How: while a budget is set (`withConflictBudget`), each item is given, before Yjs integrates
 * it, the length of the walk Yjs may make, counted the same way (from its left neighbour, or
 * the start of its parent or map entry, to its right neighbour; Yjs may stop sooner, never
 * later) but without the sets, capped at what is left of the budget; past the budget the apply
 * throws `ConflictBudgetExceeded`. Only the guard's shadow copy applies updates under a budget,
 * and a shadow that threw is rebuilt (write-guard.ts), so nothing is left half-applied where it
 * matters. Honest edits walk nothing, or a few items where two people typed at one spot.
 */
import * as Y from 'yjs';

/** Most steps of Yjs's placing walk one update may cost: about 35 ms at 170 ns a step. */
export const MAX_CONFLICT_STEPS = 200_000;

/** Thrown inside `withConflictBudget` when placing the update would walk past the budget. */
export class ConflictBudgetExceeded extends Error {
  constructor() {
    super('conflict budget exceeded');
    this.name = 'ConflictBudgetExceeded';
  }
}

let budget: { left: number } | null = null;

/** Runs `apply` with at most `steps` of Yjs's placing walk; throws ConflictBudgetExceeded past it. */
export function withConflictBudget<T>(steps: number, apply: () => T): T {
  const outer = budget;
  budget = { left: steps };
  try {
    return apply();
  } finally {
    budget = outer;
  }
}

type ItemInternals = Y.Item & { parent: Y.AbstractType<unknown> | null; parentSub: string | null };
type TypeInternals = { _start: Y.Item | null; _map: Map<string, Y.Item> };

/**
 * The longest walk Yjs's `Item.integrate` may make to place `item` (yjs/src/structs/Item.js,
 * "set o to the first conflicting item"), counted up to `cap`.
 */
function walkLength(item: ItemInternals, transaction: Y.Transaction, offset: number, cap: number): number {
  const parent = item.parent as unknown as TypeInternals | null;
  if (!parent) return 0;
  // An item the doc partly holds is placed after its own known part (Yjs splits that first).
  const left =
    offset > 0
      ? (Y.getItem(transaction.doc.store, Y.createID(item.id.client, item.id.clock + offset - 1)) as Y.Item)
      : item.left;
  const right = item.right;
  const walks = (!left && (!right || right.left !== null)) || (left && left.right !== right);
  if (!walks) return 0;
  let steps = 0;
  let o: Y.Item | null;
  if (left) o = left.right;
  else if (item.parentSub !== null) {
    o = parent._map.get(item.parentSub) ?? null;
    while (o !== null && o.left !== null) {
      o = o.left;
      if (++steps > cap) return steps;
    }
  } else o = parent._start;
  while (o !== null && o !== right) {
    if (++steps > cap) return steps;
    o = o.right;
  }
  return steps;
}

const integrate = Y.Item.prototype.integrate;
Y.Item.prototype.integrate = function budgeted(this: Y.Item, transaction: Y.Transaction, offset: number) {
  if (budget !== null) {
    budget.left -= walkLength(this as ItemInternals, transaction, offset, budget.left);
    if (budget.left < 0) throw new ConflictBudgetExceeded();
  }
  integrate.call(this, transaction, offset);
};
