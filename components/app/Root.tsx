import type { ReactNode } from 'react';
import { I18nProvider, browserLocale, useI18n } from '../../hooks/i18n.tsx';
import { PlanProvider } from '../../hooks/plan.tsx';
import { RegistryProvider, useRegistry } from '../../hooks/registry.tsx';
import { AppShell } from './AppShell.tsx';
import { Welcome } from './Welcome.tsx';
import './app.css';

export type Layout = 'full' | 'compact';

function Localized({ children }: { children: ReactNode }) {
  const state = useRegistry();
  const locale = (state.status === 'ready' ? state.registry.locale : null) ?? browserLocale();
  return <I18nProvider locale={locale}>{children}</I18nProvider>;
}

function CurrentPlan({ layout }: { layout: Layout }) {
  const { t } = useI18n();
  const state = useRegistry();
  if (state.status === 'loading') return <p className="loading" role="status" aria-live="polite" />;
  if (state.status === 'error') return <p role="alert">{t('app.openFailed')}</p>;
  const { registry } = state;
  const current = registry.plans.find((p) => p.planId === registry.currentPlanId);
  if (!current) return <Welcome />;
  return (
    <PlanProvider key={current.planId} planId={current.planId}>
      <AppShell layout={layout} entry={current} />
    </PlanProvider>
  );
}

/** The app tab and the side panel: the same plan, in a full or a compact layout. */
export function Root({ layout }: { layout: Layout }) {
  return (
    <RegistryProvider>
      <Localized>
        <CurrentPlan layout={layout} />
      </Localized>
    </RegistryProvider>
  );
}
