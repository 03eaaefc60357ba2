import './shared.css';

/**
 * "Change the order": the one way the goal board and the service plan turn their move buttons
 * on and off (reordering is a mode, issue 10). A toggle button (`aria-pressed`) with a one-line
 * hint while it is on; the caller keeps the state and gives the words.
 */
export function ArrangeToggle({
  arranging,
  onToggle,
  label,
  hint,
}: {
  arranging: boolean;
  onToggle(): void;
  /** The button, e.g. "Change the order". */
  label: string;
  /** What to do while it is on, e.g. "Use the arrows to move …". */
  hint: string;
}) {
  return (
    <p className="arrange-toggle no-print">
      <button type="button" aria-pressed={arranging} onClick={onToggle}>
        {label}
      </button>
      {arranging && <span className="arrange-hint">{hint}</span>}
    </p>
  );
}
