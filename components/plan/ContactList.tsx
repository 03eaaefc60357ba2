import { useId, useRef, useState } from 'react';
import type { Contact } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { ContactCard } from './ContactCard.tsx';
import { ContactForm } from './ContactForm.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';

/** The people and services to call, in the participant's order, and "Add contact". */
export function ContactList({
  contacts,
  compact,
  arranging,
}: {
  contacts: readonly Contact[];
  compact: boolean;
  arranging: boolean;
}) {
  const { t } = useI18n();
  const readOnly = useReadOnly();
  const actions = usePlanActions();
  const [adding, setAdding] = useState(false);
  const openerRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const closeForm = () => {
    setAdding(false);
    requestAnimationFrame(() => openerRef.current?.focus());
  };
  return (
    <section className="plan-contacts" aria-labelledby={headingId}>
      <h2 id={headingId} data-jump="contacts" tabIndex={-1}>
        {t('plan.contacts')}
      </h2>
      <p className="plan-zone-about no-print">{t('plan.contactsAbout')}</p>
      {contacts.length === 0 && <p className="plan-empty">{t('plan.noContacts')}</p>}
      {contacts.length > 0 && (
        <ul className="plan-contact-list">
          {contacts.map((contact, index) => (
            <ContactCard
              key={contact.id}
              contact={contact}
              index={index}
              count={contacts.length}
              compact={compact}
              arranging={arranging}
            />
          ))}
        </ul>
      )}
      {!readOnly &&
        !arranging &&
        (adding ? (
          <div className="plan-contact is-new no-print">
            <h3>{t('plan.newContact')}</h3>
            <ContactForm
              submitLabel={t('plan.addContact')}
              onSubmit={(values) => {
                actions.addContact(values);
                closeForm();
              }}
              onCancel={closeForm}
            />
          </div>
        ) : (
          <button ref={openerRef} type="button" className="plan-add no-print" onClick={() => setAdding(true)}>
            {t('plan.addContact')}
          </button>
        ))}
    </section>
  );
}
