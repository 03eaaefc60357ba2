import { useEffect, useId, useRef, useState } from 'react';
import { atLeast } from '../../core/access/index.ts';
import type { PlanEntry } from '../../core/sync/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlan } from '../../hooks/plan.tsx';
import { useAccess } from '../../hooks/sync.tsx';
import { WhenItIsHard } from '../crisis/WhenItIsHard.tsx';
import { ExchangeButtons } from '../exchange/ExchangeButtons.tsx';
import { GoalBoard } from '../goals/GoalBoard.tsx';
import { ServicePlanView } from '../plan/ServicePlanView.tsx';
import { CommandProvider } from '../shared/commands.tsx';
import { JoinButton } from '../sharing/JoinButton.tsx';
import { PresenceBar } from '../sharing/PresenceBar.tsx';
import { SharingButton } from '../sharing/SharingButton.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { PlanSwitcher } from './PlanSwitcher.tsx';
import { SyncStatus, WriteDeniedNotice } from './SyncStatus.tsx';
import type { Layout } from './Root.tsx';

type View = 'hard' | 'goals' | 'plan';

const VIEWS: readonly View[] = ['hard', 'goals', 'plan'];
const LABELS = { hard: 'app.whenHard', goals: 'app.goalBoard', plan: 'app.servicePlan' } as const;

/**
 * Header (plan, joining, sharing, language, status, who is here), the views, and the plan's
 * file actions. "When it is hard" (who to call, the red zone) is the first view, one tap from
 * every other. A member without access to the goal board does not see it (nor its steps).
 */
export function AppShell({ layout, entry }: { layout: Layout; entry: PlanEntry }) {
  const { t } = useI18n();
  const plan = usePlan();
  const access = useAccess();
  const seesGoals = atLeast(access.levels.goals, 'view');
  const [chosen, setView] = useState<View>(
    () => VIEWS.find((v) => location.hash === `#${v}`) ?? (seesGoals ? 'goals' : 'plan'),
  );
  const views = VIEWS.filter((v) => v !== 'goals' || seesGoals);
  const view: View = views.includes(chosen) ? chosen : 'plan';
  // A plan just made, joined, imported or switched to replaces what had the focus: give it
  // to the view's heading, so keyboard and screen reader users start at the top of the plan.
  const main = useRef<HTMLElement>(null);
  const [more, setMore] = useState(false);
  const moreId = useId();
  useEffect(() => {
    if (plan.status !== 'ready') return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const heading = main.current?.querySelector('h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [entry.planId, plan.status]);
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
        <SharingButton />
        {/* On a phone or in a narrow side panel, what is seldom needed folds behind "More". */}
        <button
          type="button"
          className="shell-more-toggle"
          aria-expanded={more}
          aria-controls={moreId}
          onClick={() => setMore(!more)}
        >
          {t('app.more')}
        </button>
        <div id={moreId} className={more ? 'shell-more shell-more-open' : 'shell-more'}>
          <JoinButton />
          <LanguageSwitcher />
        </div>
        <SyncStatus />
        <PresenceBar />
      </header>
      <WriteDeniedNotice />
      <nav className="views" aria-label={t('app.views')}>
        {views.map((v) => (
          <button
            key={v}
            type="button"
            className={v === 'hard' ? 'view-tab view-tab-hard' : 'view-tab'}
            aria-pressed={view === v}
            onClick={() => choose(v)}
          >
            {t(LABELS[v])}
          </button>
        ))}
        {!seesGoals && <p className="views-note">{t('sharing.goalsHidden')}</p>}
      </nav>
      <main className="shell-main" ref={main}>
        {plan.status === 'loading' && <p role="status">{t('app.opening')}</p>}
        {plan.status === 'error' && <p role="alert">{t('app.openFailed')}</p>}
        {plan.status === 'ready' && (
          <CommandProvider>
            {plan.readOnly && (
              <p role="status" className="notice">
                {t('app.newerVersion')}
              </p>
            )}
            {view === 'hard' && <WhenItIsHard onEdit={() => choose('plan')} />}
            {view === 'goals' && <GoalBoard compact={layout === 'compact'} />}
            {view === 'plan' && <ServicePlanView compact={layout === 'compact'} />}
          </CommandProvider>
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
