import { useRef } from 'react';

export type Direction = 'up' | 'down';

/**
 * The `toIndex` for moving the item at `index` one place up or down among `count` siblings,
 * in the commands' terms (the index among the siblings without the moved item), or `null`
 * at either end.
 */
export function moveTarget(index: number, count: number, direction: Direction): number | null {
  const to = direction === 'up' ? index - 1 : index + 1;
  return to < 0 || to >= count ? null : to;
}

/**
 * The one move control of the app: "Move up" / "Move down" for one item among its siblings,
 * the keyboard and screen-reader way to reorder (goals, sub-goals, steps, service-plan
 * sections, contacts), shown in "Change the order" mode. At either end a button stays
 * focusable but says it cannot move (`aria-disabled`), so focus never drops to the page when
 * an item reaches the top; after a move the focus stays on the button pressed, though React
 * moved its element. Nothing when the item has no siblings.
 */
export function MoveButtons({
  index,
  count,
  label,
  text,
  onMove,
}: {
  index: number;
  count: number;
  /** Each button's accessible name, naming the item ("Move up: Early warning signs"). */
  label: (direction: Direction) => string;
  /** Words beside the arrow where there is room ("Move up"); arrows only without. */
  text?: (direction: Direction) => string;
  /** Moves the item; saying what moved where is the caller's (it knows the item's name). */
  onMove: (toIndex: number) => void;
}) {
  const refs = { up: useRef<HTMLButtonElement>(null), down: useRef<HTMLButtonElement>(null) };
  if (count < 2) return null;
  const button = (direction: Direction) => {
    const to = moveTarget(index, count, direction);
    return (
      <button
        ref={refs[direction]}
        type="button"
        className="move-button"
        aria-label={label(direction)}
        title={text ? undefined : label(direction)}
        aria-disabled={to === null || undefined}
        onClick={() => {
          if (to === null) return;
          onMove(to);
          // React may move this button's element to reorder the list, which blurs it.
          requestAnimationFrame(() => refs[direction].current?.focus());
        }}
      >
        <span aria-hidden="true">{direction === 'up' ? '↑' : '↓'}</span>
        {text && <span aria-hidden="true"> {text(direction)}</span>}
      </button>
    );
  };
  return (
    <span className="move-buttons no-print">
      {button('up')}
      {button('down')}
    </span>
  );
}
