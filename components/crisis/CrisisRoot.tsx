import { useEffect, type ReactNode } from 'react';
import { CrisisPlanProvider, type CrisisStart } from '../../hooks/crisis.tsx';
import { I18nProvider, browserLocale, useI18n } from '../../hooks/i18n.tsx';
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
function FirstRun({ start }: { start: CrisisStart }) {
  const { t } = useI18n();
  useEffect(() => start.drop(), [start]);
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

function CurrentCard({ start }: { start: CrisisStart }) {
  const { t } = useI18n();
  const state = useRegistry();
  if (state.status === 'loading') {
    return (
      <main className="crisis">
        <p role="status">{t('crisis.opening')}</p>
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="crisis">
        <p role="alert">{t('crisis.openFailed')}</p>
      </main>
    );
  }
  const { registry } = state;
  const current = registry.plans.find((p) => p.planId === registry.currentPlanId);
  if (!current) return <FirstRun start={start} />;
  return (
    <CrisisPlanProvider key={current.planId} planId={current.planId} preopened={start.take}>
      <CrisisCard entry={current} />
    </CrisisPlanProvider>
  );
}

/**
 * The toolbar popup: the crisis card of the current plan, read-only. It loads no editor code
 * (tests/unit/crisis-bundle.test.ts holds that), so it opens at once. `start` has already
 * begun loading the registry and, beside it, the plan it last named (`startCrisis`).
 */
export function CrisisRoot({ start }: { start: CrisisStart }) {
  return (
    <RegistryProvider session={start.registry}>
      <Localized>
        <CurrentCard start={start} />
      </Localized>
    </RegistryProvider>
  );
}
