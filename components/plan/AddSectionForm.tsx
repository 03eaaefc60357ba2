import { useId, useRef, useState, type FormEvent } from 'react';
import { ZONES, type Zone } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { TitleField, useTitleField } from './TitleField.tsx';
import { useCommand } from '../shared/commands.tsx';

/**
 * "Add section": a title in the person's own words and the zone it belongs to. While the
 * form is open its submit button carries the name, so there is one "Add section" at a time.
 */
export function AddSectionForm({ onAdded }: { onAdded: (sectionId: string) => void }) {
  const { t } = useI18n();
  const actions = usePlanActions();
  const run = useCommand();
  const [open, setOpen] = useState(false);
  const title = useTitleField('');
  const [zone, setZone] = useState<Zone>('green');
  const openerRef = useRef<HTMLButtonElement>(null);
  const radioName = useId();

  const close = () => {
    setOpen(false);
    title.reset();
    requestAnimationFrame(() => openerRef.current?.focus());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.check()) return;
    let id = '';
    if (run(() => (id = actions.addCustomSection({ title: title.value, zone })))) {
      setOpen(false);
      title.reset();
      onAdded(id);
    }
  };

  if (!open) {
    return (
      <button ref={openerRef} type="button" className="plan-add no-print" onClick={() => setOpen(true)}>
        {t('plan.addSection')}
      </button>
    );
  }
  return (
    <form className="plan-add-form no-print" onSubmit={submit} aria-label={t('plan.newSection')}>
      <TitleField {...title.field} onEscape={close} />
      <fieldset className="plan-zone-choice">
        <legend>{t('plan.zone')}</legend>
        {ZONES.map((z) => (
          <label key={z} className={`plan-radio zone-${z}`}>
            <input type="radio" name={radioName} value={z} checked={zone === z} onChange={() => setZone(z)} />
            <span className={`zone-mark zone-mark-${z}`} aria-hidden="true" />
            {t(`plan.zone.${z}`)}
          </label>
        ))}
      </fieldset>
      <div className="plan-form-buttons">
        <button type="submit">{t('plan.addSection')}</button>
        <button type="button" onClick={close}>
          {t('plan.cancel')}
        </button>
      </div>
    </form>
  );
}
