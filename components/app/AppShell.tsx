import { useState } from 'react';
import { atLeast } from '../../core/access/index.ts';
import type { PlanEntry } from '../../core/sync/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlan } from '../../hooks/plan.tsx';
import { useAccess } from '../../hooks/sync.tsx';
import { ExchangeButtons } from '../exchange/ExchangeButtons.tsx';
import { GoalBoard } from '../goals/GoalBoard.tsx';
import { ServicePlanView } from '../plan/ServicePlanView.tsx';
import { JoinButton } from '../sharing/JoinButton.tsx';
import { PresenceBar } from '../sharing/PresenceBar.tsx';
import { SharingButton } from '../sharing/SharingButton.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { PlanSwitcher } from './PlanSwitcher.tsx';
import { SyncStatus, WriteDeniedNotice } from './SyncStatus.tsx';
import type { Layout } from './Root.tsx';

type View = 'goals' | 'plan';

/**
 * Header (plan, joining, sharing, language, status, who is here), the two views, and the
 * plan's file actions. A member without access to the goal board sees only the service plan.
 */
export function AppShell({ layout, entry }: { layout: Layout; entry: PlanEntry }) {
  const { t } = useI18n();
  const plan = usePlan();
  const access = useAccess();
  const seesGoals = atLeast(access.levels.goals, 'view');
  const [chosen, setView] = useState<View>(() => (location.hash === '#plan' ? 'plan' : 'goals'));
  const view: View = seesGoals ? chosen : 'plan';
  const choose = (next: View) => {
    setView(next);
    history.replaceState(null, '', `#${next}`);
  };
  return (
    <div className={`shell shell-${layout}`}>
      <header className="shell-header">
        <span className="brand" aria-hidden="true">
          Varde
        </span>
        <PlanSwitcher />
        <JoinButton />
        <SharingButton />
        <LanguageSwitcher />
        <SyncStatus />
        <PresenceBar />
      </header>
      <WriteDeniedNotice />
      <nav className="views" aria-label={t('app.views')}>
        {(seesGoals ? (['goals', 'plan'] as const) : (['plan'] as const)).map((v) => (
          <button
            key={v}
            type="button"
            className="view-tab"
            aria-pressed={view === v}
            onClick={() => choose(v)}
          >
            {t(v === 'goals' ? 'app.goalBoard' : 'app.servicePlan')}
          </button>
        ))}
        {!seesGoals && <p className="views-note">{t('sharing.goalsHidden')}</p>}
      </nav>
      <main className="shell-main">
        {plan.status === 'loading' && <p role="status">{t('app.opening')}</p>}
        {plan.status === 'error' && <p role="alert">{t('app.openFailed')}</p>}
        {plan.status === 'ready' && (
          <>
            {plan.readOnly && (
              <p role="status" className="notice">
                {t('app.newerVersion')}
              </p>
            )}
            {view === 'goals' ? (
              <GoalBoard compact={layout === 'compact'} />
            ) : (
              <ServicePlanView compact={layout === 'compact'} />
            )}
          </>
        )}
      </main>
      {plan.status === 'ready' && (
        <footer className="shell-footer">
          <ExchangeButtons planName={entry.name} />
        </footer>
      )}
    </div>
  );
}
