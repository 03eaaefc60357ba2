import { useState } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useRegistry } from '../../hooks/registry.tsx';
import { NewPlanForm } from './NewPlanForm.tsx';

/** Which plan is open (a therapist follows many), and making another. */
export function PlanSwitcher() {
  const { t } = useI18n();
  const state = useRegistry();
  const [creating, setCreating] = useState(false);
  if (state.status !== 'ready') return null;
  const { registry, actions } = state;
  return (
    <div className="plan-switcher">
      <label>
        {t('app.plan')}
        <select value={registry.currentPlanId ?? ''} onChange={(e) => actions.switchPlan(e.target.value)}>
          {registry.plans.map((p) => (
            <option key={p.planId} value={p.planId}>
              {p.name || t('app.defaultPlanName')}
            </option>
          ))}
        </select>
      </label>
      {creating ? (
        <div className="popover">
          <NewPlanForm onDone={() => setCreating(false)} />
          <button type="button" onClick={() => setCreating(false)}>
            {t('app.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setCreating(true)} aria-expanded={false}>
          {t('app.newPlan')}
        </button>
      )}
    </div>
  );
}
