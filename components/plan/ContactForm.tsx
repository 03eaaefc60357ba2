import { useId, useState, type FormEvent } from 'react';
import { CONTACT_ROLES, CommandError, type Contact, type ContactRole } from '../../core/model/index.ts';
import type { ContactInput } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { commandErrorKey } from '../shared/commands.tsx';
import { isPhoneNumber } from '../../core/model/index.ts';

type Field = 'name' | 'phone';

/**
 * The fields of one contact, for adding ("Add contact") or changing ("Save"). The command
 * checks the phone number; its refusal is shown in plain words next to the Phone field.
 */
export function ContactForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: Contact;
  submitLabel: string;
  /** Runs the command; throws its CommandError when the input is refused. */
  onSubmit: (input: Required<ContactInput>) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<Required<ContactInput>>({
    name: initial?.name ?? '',
    relation: initial?.relation ?? '',
    phone: initial?.phone ?? '',
    role: initial?.role ?? 'family',
    whatTheyDo: initial?.whatTheyDo ?? '',
  });
  const [fieldError, setFieldError] = useState<{ field: Field; key: string } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const ids = { name: useId(), phone: useId(), nameError: useId(), phoneError: useId() };

  const set = (field: keyof ContactInput, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (fieldError?.field === field) setFieldError(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!values.name.trim()) {
      setFieldError({ field: 'name', key: 'plan.nameRequired' });
      document.getElementById(ids.name)?.focus();
      return;
    }
    if (!isPhoneNumber(values.phone)) {
      setFieldError({ field: 'phone', key: 'plan.phoneInvalid' });
      document.getElementById(ids.phone)?.focus();
      return;
    }
    try {
      onSubmit(values);
      setFieldError(null);
    } catch (error) {
      // The name is checked above, so a refused input here is the phone number.
      if (error instanceof CommandError && error.reason === 'invalidInput' && values.phone.trim()) {
        setFieldError({ field: 'phone', key: 'plan.phoneInvalid' });
        document.getElementById(ids.phone)?.focus();
      } else {
        setFormError(commandErrorKey(error));
      }
    }
  };
  const errorFor = (field: Field) =>
    fieldError?.field === field ? (
      <p id={field === 'name' ? ids.nameError : ids.phoneError} className="plan-error">
        {t(fieldError.key)}
      </p>
    ) : null;
  const invalid = (field: Field) => ({
    'aria-invalid': fieldError?.field === field,
    'aria-describedby':
      fieldError?.field === field ? (field === 'name' ? ids.nameError : ids.phoneError) : undefined,
  });

  return (
    <form className="plan-contact-form no-print" onSubmit={submit} noValidate>
      <div className="plan-field">
        <label htmlFor={ids.name}>{t('plan.name')}</label>
        <input
          id={ids.name}
          value={values.name}
          onChange={(e) => set('name', e.target.value)}
          maxLength={200}
          autoComplete="off"
          autoFocus
          {...invalid('name')}
        />
        {errorFor('name')}
      </div>
      <div className="plan-field">
        <label htmlFor={ids.phone}>{t('plan.phone')}</label>
        <input
          id={ids.phone}
          type="tel"
          value={values.phone}
          onChange={(e) => set('phone', e.target.value)}
          maxLength={40}
          autoComplete="off"
          {...invalid('phone')}
        />
        {errorFor('phone')}
      </div>
      <label className="plan-field">
        {t('plan.relation')}
        <input value={values.relation} onChange={(e) => set('relation', e.target.value)} maxLength={200} />
      </label>
      <label className="plan-field">
        {t('plan.role')}
        <select value={values.role} onChange={(e) => set('role', e.target.value as ContactRole)}>
          {CONTACT_ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`plan.role.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="plan-field plan-field-wide">
        {t('plan.whatTheyDo')}
        <input
          value={values.whatTheyDo}
          onChange={(e) => set('whatTheyDo', e.target.value)}
          maxLength={500}
        />
      </label>
      {formError && (
        <p className="plan-error" role="alert">
          {t(formError)}
        </p>
      )}
      <div className="plan-form-buttons">
        <button type="submit">{submitLabel}</button>
        <button type="button" onClick={onCancel}>
          {t('plan.cancel')}
        </button>
      </div>
    </form>
  );
}
