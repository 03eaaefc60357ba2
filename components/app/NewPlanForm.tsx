import { useState, type FormEvent } from 'react';
import { useI18n } from '../../hooks/i18n.tsx';
import { useRegistry } from '../../hooks/registry.tsx';

/** A name for the plan (e.g. the participant's first name) and the "New plan" button. */
export function NewPlanForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const state = useRegistry();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  if (state.status !== 'ready') return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailed(false);
    try {
      await state.actions.createPlan(name.trim() || t('app.defaultPlanName'));
      setName('');
      onDone?.();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="new-plan" onSubmit={(e) => void submit(e)}>
      <label>
        {t('app.planName')}
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="off" />
      </label>
      <button type="submit" disabled={busy}>
        {t('app.newPlan')}
      </button>
      {failed && <p role="alert">{t('app.createFailed')}</p>}
    </form>
  );
}
