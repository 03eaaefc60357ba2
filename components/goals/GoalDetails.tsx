import { GOAL_STATUSES, MODULE_IDS, isOneOf, type Goal, type ModuleId } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';
import { DateField, SelectField, TextField } from './fields.tsx';
import { useCommand } from '../shared/commands.tsx';

/** A goal's own fields: title, status, life area, target date and IMR module tags. */
export function GoalDetails({ goal }: { goal: Goal }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const readOnly = useReadOnly();
  return (
    <div className="goal-details">
      <div className="field-row">
        <TextField
          className="field-wide goal-title-field"
          label={t('goals.goalTitle')}
          value={goal.title}
          required
          readOnly={readOnly}
          onCommit={(title) => actions.updateGoal(goal.id, { title })}
        />
        <SelectField
          label={t('goals.statusLabel')}
          value={goal.status}
          options={GOAL_STATUSES.map((s) => ({ value: s, label: t(`goals.status.${s}`) }))}
          readOnly={readOnly}
          onCommit={(status) => actions.updateGoal(goal.id, { status })}
        />
        <TextField
          label={t('goals.lifeArea')}
          value={goal.lifeArea}
          readOnly={readOnly}
          onCommit={(lifeArea) => actions.updateGoal(goal.id, { lifeArea })}
        />
        <DateField
          label={t('goals.targetDate')}
          value={goal.targetDate ?? ''}
          readOnly={readOnly}
          onCommit={(targetDate) => actions.updateGoal(goal.id, { targetDate: targetDate || null })}
        />
      </div>
      <ModuleTags goal={goal} />
    </div>
  );
}

/**
 * A module's name in the person's language; an id this version does not know (a newer
 * client's) as it is.
 */
export function useModuleName(): (id: string) => string {
  const { t } = useI18n();
  return (id) => (isOneOf(MODULE_IDS, id) ? t(`goals.module.${id}`) : id);
}

/**
 * The IMR modules a goal is worked on in. The chosen ones show as tags; the full list of 11
 * sits in a disclosure so it does not crowd the card. A module id this version does not
 * know (a newer client's) is shown as is and kept out of what this version writes.
 */
function ModuleTags({ goal }: { goal: Goal }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const readOnly = useReadOnly();
  const name = useModuleName();
  const toggle = (id: ModuleId, on: boolean) => {
    const chosen = new Set<string>(goal.modules.filter((m) => isOneOf(MODULE_IDS, m)));
    if (on) chosen.add(id);
    else chosen.delete(id);
    run(() => actions.updateGoal(goal.id, { modules: MODULE_IDS.filter((m) => chosen.has(m)) }));
  };
  const tags =
    goal.modules.length > 0 ? (
      <ul className="module-tags" aria-label={t('goals.modules')}>
        {goal.modules.map((m) => (
          <li key={m} className="module-tag">
            {name(m)}
          </li>
        ))}
      </ul>
    ) : null;
  if (readOnly) {
    return (
      <div className="modules">
        <span className="field-label">{t('goals.modules')}</span> {tags ?? '—'}
      </div>
    );
  }
  return (
    <div className="modules">
      <details className="modules-picker">
        <summary>{t('goals.modulesChoose', { count: goal.modules.length })}</summary>
        <fieldset>
          <legend>{t('goals.modulesLegend')}</legend>
          {MODULE_IDS.map((id) => (
            <label key={id} className="check">
              <input
                type="checkbox"
                checked={goal.modules.includes(id)}
                onChange={(e) => toggle(id, e.target.checked)}
              />
              {name(id)}
            </label>
          ))}
        </fieldset>
      </details>
      {tags}
    </div>
  );
}
