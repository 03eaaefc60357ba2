import { useI18n } from '../../hooks/i18n.tsx';
import { useAnnounce } from '../shared/Announcer.tsx';
import type { Direction } from '../shared/MoveButtons.tsx';

/**
 * What a section or contact gives the shared move control (components/shared/MoveButtons.tsx):
 * "Move up: <its name>", the words beside the arrows where there is room, and a move that is
 * announced with the item's name and new place once the command ran.
 */
export function usePlanMove(
  name: string,
  count: number,
  compact: boolean,
  /** Runs the move command; false when it refused (and says why). */
  move: (toIndex: number) => boolean,
) {
  const { t } = useI18n();
  const announce = useAnnounce();
  return {
    label: (d: Direction) => t(d === 'up' ? 'plan.moveUpNamed' : 'plan.moveDownNamed', { name }),
    text: compact ? undefined : (d: Direction) => t(d === 'up' ? 'plan.moveUp' : 'plan.moveDown'),
    onMove: (to: number) => {
      if (move(to)) announce(t('plan.movedNamed', { name, position: to + 1, count }));
    },
  };
}
