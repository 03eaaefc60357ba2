import { atLeast } from '../../core/access/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { useGoalBoard, useServicePlan } from '../../hooks/plan.tsx';
import { useAccess } from '../../hooks/sync.tsx';
import { Contacts, DueSteps, NextStepsBlock, RedZone } from './CrisisCard.tsx';
import './crisis.css';

/**
 * The crisis card inside the full plan, one tap from every view: who to call (never empty:
 * the help lines follow the plan's own contacts), the red zone, the next steps. Read only;
 * `onEdit` leads to the service plan, where all of it is changed.
 */
export function WhenItIsHard({ onEdit }: { onEdit: () => void }) {
  const { t } = useI18n();
  const plan = useServicePlan();
  const access = useAccess();
  return (
    <section className="crisis crisis-in-app" aria-labelledby="when-hard-title">
      <h1 id="when-hard-title" className="when-hard-title">
        {t('app.whenHard')}
      </h1>
      <Contacts plan={plan} emptyText={t('app.whenHardNoContacts')} />
      {/* Named as in the service plan: the view's own title already says when. */}
      <RedZone plan={plan} title={t('plan.zone.red')} emptyText={t('app.whenHardRedEmpty')} />
      {atLeast(access.levels.goals, 'view') && <Steps />}
      <p className="when-hard-edit">
        <button type="button" className="link-button" onClick={onEdit}>
          {t('app.whenHardEdit')}
        </button>
      </p>
    </section>
  );
}

function Steps() {
  const board = useGoalBoard();
  return (
    <NextStepsBlock>
      <DueSteps board={board} />
    </NextStepsBlock>
  );
}
