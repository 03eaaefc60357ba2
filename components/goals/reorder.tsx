import { createContext, useContext, useState, type DragEvent } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { MoveButtons } from '../shared/MoveButtons.tsx';
import { dropIndex, dropSide } from './logic.ts';
import { useCommand } from '../shared/commands.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';

/**
 * Reordering goals, sub-goals and steps: HTML5 drag and drop from a visible handle, and
 * "Move … up / down" buttons for the keyboard (and for anyone who finds dragging hard).
 * Both end in the same move command with an index among siblings, 0 = first.
 *
 * A list is a `scope` ("goals", "subgoals:<goalId>", "steps:<subId>"): an item accepts a
 * drop only from its own list, so a step dragged over a goal card is not taken for a goal.
 * Which item is being dragged is kept here rather than in `dataTransfer`, which browsers
 * hide until the drop.
 */
let dragging: { scope: string; id: string } | null = null;

/**
 * Whether the board is in "Change the order" mode: only then do goals, sub-goals and steps show
 * their move buttons (the service plan's sections and contacts work the same way). Dragging by
 * the handle works in either mode.
 */
export const ArrangingContext = createContext(false);

type Noun = 'goal' | 'subGoal' | 'step';
type DropTarget = { readonly id: string; readonly side: 'before' | 'after' };

export interface Reorder {
  readonly scope: string;
  readonly ids: readonly string[];
  /** What the person calls an item (a goal's title, a step's text), for labels and announcements. */
  nameOf(id: string): string;
  /** The item under the pointer while dragging, and on which side the dragged one would go. */
  readonly target: DropTarget | null;
  move(id: string, toIndex: number): void;
  setTarget(target: DropTarget | null): void;
}

export function useReorder(
  scope: string,
  items: readonly { readonly id: string; readonly name: string }[],
  onMove: (id: string, toIndex: number) => void,
) {
  const { t } = useI18n();
  const run = useCommand();
  const announce = useAnnounce();
  const [target, setTarget] = useState<DropTarget | null>(null);
  const ids = items.map((item) => item.id);
  const nameOf = (id: string) => items.find((item) => item.id === id)?.name ?? '';
  const reorder: Reorder = {
    scope,
    ids,
    nameOf,
    target,
    setTarget,
    move: (id, toIndex) => {
      if (run(() => onMove(id, toIndex))) {
        // Named, so a screen reader user hears which item went where.
        announce(t('goals.movedNamed', { name: nameOf(id), position: toIndex + 1, count: ids.length }));
      }
    },
  };
  return reorder;
}

/** Props for the element that is one item of a reorderable list (it receives drops). */
export function dropTargetProps(reorder: Reorder, id: string) {
  const accepts = () => dragging !== null && dragging.scope === reorder.scope;
  return {
    'data-reorder-item': reorder.scope,
    'data-drop': reorder.target?.id === id ? reorder.target.side : undefined,
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!accepts() || !dragging) return;
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = 'move';
      const side = dropSide(reorder.ids.indexOf(dragging.id), reorder.ids.indexOf(id));
      if (side === null) {
        if (reorder.target) reorder.setTarget(null);
      } else if (reorder.target?.id !== id || reorder.target.side !== side) reorder.setTarget({ id, side });
    },
    onDragLeave: (e: DragEvent<HTMLElement>) => {
      if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
      if (reorder.target?.id === id) reorder.setTarget(null);
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      if (!accepts() || !dragging) return;
      e.preventDefault();
      e.stopPropagation();
      const moved = dragging.id;
      const toIndex = dropIndex(reorder.ids.indexOf(moved), reorder.ids.indexOf(id));
      dragging = null;
      reorder.setTarget(null);
      if (toIndex !== null) reorder.move(moved, toIndex);
    },
  };
}

/** The visible "grip" to drag an item by. Keyboard users have the move buttons instead. */
export function DragHandle({
  reorder,
  id,
  noun,
  name,
}: {
  reorder: Reorder;
  id: string;
  noun: Noun;
  name: string;
}) {
  const { t } = useI18n();
  return (
    <span
      className="drag-handle no-print"
      draggable
      title={t(`goals.drag.${noun}`)}
      aria-hidden="true"
      data-testid={`drag-${noun}`}
      onDragStart={(e) => {
        e.stopPropagation();
        dragging = { scope: reorder.scope, id };
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', name);
        const item = e.currentTarget.closest<HTMLElement>('[data-reorder-item]');
        if (item) e.dataTransfer.setDragImage(item, 16, 16);
      }}
      onDragEnd={() => {
        dragging = null;
        reorder.setTarget(null);
      }}
    >
      ⠿
    </span>
  );
}

/**
 * The shared move control (components/shared/MoveButtons.tsx) for a goal, sub-goal or step:
 * "Move goal up: <its title>" / "Move goal down: …". Shown only in "Change the order" mode
 * (`ArrangingContext`); the move is announced by `reorder.move`, as a drop is.
 */
export function ReorderButtons({ reorder, id, noun }: { reorder: Reorder; id: string; noun: Noun }) {
  const { t } = useI18n();
  const arranging = useContext(ArrangingContext);
  if (!arranging) return null;
  return (
    <MoveButtons
      index={reorder.ids.indexOf(id)}
      count={reorder.ids.length}
      label={(direction) =>
        t('goals.moveNamed', { action: t(`goals.move.${noun}.${direction}`), name: reorder.nameOf(id) })
      }
      onMove={(to) => reorder.move(id, to)}
    />
  );
}
