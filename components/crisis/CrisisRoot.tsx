import type { ReactNode } from 'react';
import { I18nProvider, browserLocale, useI18n } from '../../hooks/i18n.tsx';
import { PlanProvider } from '../../hooks/plan.tsx';
import { RegistryProvider, useRegistry } from '../../hooks/registry.tsx';
import { CrisisCard } from './CrisisCard.tsx';
import '../app/app.css';
import './crisis.css';

function Localized({ children }: { children: ReactNode }) {
  const state = useRegistry();
  const locale = (state.status === 'ready' ? state.registry.locale : null) ?? browserLocale();
  return <I18nProvider locale={locale}>{children}</I18nProvider>;
}

/** First run: nothing to show yet, one way forward. */
function FirstRun() {
  const { t } = useI18n();
  return (
    <main className="crisis">
      <h1>Varde</h1>
      <p>{t('crisis.noPlanText')}</p>
      <a className="crisis-link primary" href="/app.html" target="_blank" rel="noopener">
        {t('crisis.createPlan')}
      </a>
    </main>
  );
}

function CurrentCard() {
  const { t } = useI18n();
  const state = useRegistry();
  if (state.status === 'loading') {
    return (
      <main className="crisis">
        <p role="status">{t('crisis.opening')}</p>
      </main>
    );
  }
  const { registry } = state;
  const current = registry.plans.find((p) => p.planId === registry.currentPlanId);
  if (!current) return <FirstRun />;
  return (
    <PlanProvider key={current.planId} planId={current.planId} connect={false}>
      <CrisisCard entry={current} />
    </PlanProvider>
  );
}

/**
 * The toolbar popup: the crisis card of the current plan, read-only. It loads no editor code
 * (tests/unit/crisis-bundle.test.ts holds that), so it opens at once.
 */
export function CrisisRoot() {
  return (
    <RegistryProvider>
      <Localized>
        <CurrentCard />
      </Localized>
    </RegistryProvider>
  );
}
