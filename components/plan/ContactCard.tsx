import { useId, useRef, useState } from 'react';
import type { Contact } from '../../core/model/index.ts';
import { useI18n } from '../../hooks/i18n.tsx';
import { usePlanActions } from '../../hooks/plan.tsx';
import { Notes } from '../notes/Notes.tsx';
import { ConfirmDelete } from '../shared/ConfirmDelete.tsx';
import { ContactForm } from './ContactForm.tsx';
import { MoveButtons } from '../shared/MoveButtons.tsx';
import { usePlanMove } from './move.ts';
import { telHref } from '../shared/format.ts';
import { useCommand } from '../shared/commands.tsx';
import { useReadOnly } from '../shared/readOnly.tsx';

/** One contact: who, how to reach them (a `tel:` link), what they do; edit in place. */
export function ContactCard({
  contact,
  index,
  count,
  compact,
  arranging,
}: {
  contact: Contact;
  index: number;
  count: number;
  compact: boolean;
  /** The plan is in "Change the order" mode: move buttons instead of edit and delete. */
  arranging: boolean;
}) {
  const { t } = useI18n();
  const readOnly = useReadOnly();
  const actions = usePlanActions();
  const run = useCommand();
  const [editing, setEditing] = useState(false);
  const editRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const name = contact.name || t('plan.unnamedContact');
  const href = telHref(contact.phone);
  const details = [contact.relation, t(`plan.role.${contact.role}`)].filter(Boolean).join(' · ');
  const move = usePlanMove(name, count, compact, (to) => run(() => actions.moveContact(contact.id, to)));

  const stopEditing = () => {
    setEditing(false);
    requestAnimationFrame(() => editRef.current?.focus());
  };

  if (editing) {
    return (
      <li className="plan-contact is-editing" aria-labelledby={headingId}>
        <h3 id={headingId} className="plan-contact-name">
          {t('plan.editingContact', { name })}
        </h3>
        <ContactForm
          initial={contact}
          submitLabel={t('plan.save')}
          onSubmit={(values) => {
            actions.updateContact(contact.id, values);
            stopEditing();
          }}
          onCancel={stopEditing}
        />
      </li>
    );
  }

  return (
    <li className="plan-contact" aria-labelledby={headingId}>
      <div className="plan-contact-main">
        <h3 id={headingId} className="plan-contact-name">
          {name}
        </h3>
        {details && <p className="plan-contact-details">{details}</p>}
        <p className="plan-contact-phone">
          {href ? (
            <a href={href} aria-label={t('plan.callNamed', { name, phone: contact.phone })}>
              <span aria-hidden="true" className="plan-phone-icon">
                ☎{' '}
              </span>
              {contact.phone}
            </a>
          ) : (
            <span className="plan-muted">{contact.phone || t('plan.noPhone')}</span>
          )}
        </p>
        {contact.whatTheyDo && <p className="plan-contact-what">{contact.whatTheyDo}</p>}
      </div>
      {!readOnly && (
        <div className="plan-contact-tools no-print">
          {arranging ? (
            <MoveButtons index={index} count={count} {...move} />
          ) : (
            <>
              <button
                ref={editRef}
                type="button"
                aria-label={t('plan.editContactNamed', { name })}
                onClick={() => setEditing(true)}
              >
                {t('plan.edit')}
              </button>
              <ConfirmDelete
                label={t('plan.deleteContactNamed', { name })}
                visibleLabel={t('plan.delete')}
                question={t('plan.confirmDeleteContact', { name })}
                onConfirm={() => run(() => actions.deleteContact(contact.id))}
              />
            </>
          )}
        </div>
      )}
      <div className="plan-notes">
        <Notes target={{ kind: 'contact', id: contact.id }} targetLabel={name} />
      </div>
    </li>
  );
}
