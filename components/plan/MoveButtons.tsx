import { useRef } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';
import { moveTarget } from './logic.ts';

/**
 * "Move up" / "Move down" for one item among its siblings: the keyboard and screen-reader
 * way to reorder. At either end a button stays focusable but says it cannot move
 * (`aria-disabled`), so focus never drops to the page when an item reaches the top. A move
 * that ran is announced with the item's name and new place.
 */
export function MoveButtons({
  name,
  index,
  count,
  compact,
  onMove,
}: {
  /** The item's name, for "Move up: Early warning signs". */
  name: string;
  index: number;
  count: number;
  compact?: boolean;
  /** Moves the item; false when it could not (the command refused, and says why). */
  onMove: (toIndex: number) => boolean;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const refs = { up: useRef<HTMLButtonElement>(null), down: useRef<HTMLButtonElement>(null) };
  if (count < 2) return null;
  const button = (direction: 'up' | 'down') => {
    const to = moveTarget(index, count, direction);
    return (
      <button
        ref={refs[direction]}
        type="button"
        className="plan-move"
        aria-label={t(direction === 'up' ? 'plan.moveUpNamed' : 'plan.moveDownNamed', { name })}
        aria-disabled={to === null}
        onClick={() => {
          if (to === null) return;
          if (onMove(to)) announce(t('plan.movedNamed', { name, position: to + 1, count }));
          // React may move this button's element to reorder the list, which blurs it.
          requestAnimationFrame(() => refs[direction].current?.focus());
        }}
      >
        <span aria-hidden="true">{direction === 'up' ? '↑' : '↓'}</span>
        {!compact && (
          <span aria-hidden="true"> {t(direction === 'up' ? 'plan.moveUp' : 'plan.moveDown')}</span>
        )}
      </button>
    );
  };
  return (
    <span className="plan-move-buttons">
      {button('up')}
      {button('down')}
    </span>
  );
}
