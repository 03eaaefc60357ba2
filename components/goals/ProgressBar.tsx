import type { Progress } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { percentDone } from './logic.ts';

/** "3 of 5 steps done" ("1 of 1 step done") and a bar that shows it (IMR.md: shown, not only told). */
export function ProgressBar({ progress, small = false }: { progress: Progress; small?: boolean }) {
  const { t } = useI18n();
  const text =
    progress.total === 0
      ? t('goals.noStepsYet')
      : t.plural('goals.stepsDone', progress.total, { done: progress.done });
  const percent = percentDone(progress);
  return (
    <div className={`progress${small ? ' progress-small' : ''}`}>
      <span className="progress-text">{text}</span>
      {progress.total > 0 && (
        <div
          className="progress-bar"
          role="progressbar"
          aria-label={t('goals.progressLabel')}
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.done}
          aria-valuetext={text}
        >
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
      )}
    </div>
  );
}
